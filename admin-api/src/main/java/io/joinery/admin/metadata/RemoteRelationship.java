package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A field of a table whose value comes from a remote schema. Three forms, which differ in how the
 * keys of the rows go to the remote; each costs ONE request per level of a query (per
 * {@code batch_size} keys of the remote schema).
 *
 * <p><b>Per key</b> ({@code remote_field}, Hasura's shape): one aliased field per distinct key in the
 * request ({@code f0: profile(authorId: 1) … f1: profile(authorId: 2) …}). Works with any remote,
 * but the remote resolves the field once per key.
 * <pre>
 * remote_relationships:
 *   profile:
 *     remote_schema: profiles
 *     remote_field:
 *       profile:                                # the remote field, possibly nested:
 *         arguments: { authorId: $id }          #   $column = the row's column value
 *         field: { details: { arguments: {} } } #   optional deeper path
 * </pre>
 *
 * <p><b>Batch</b> ({@code batch}): a remote field that takes all the keys in one list argument and
 * returns a list; the remote resolves it once. The results are matched back to rows by the result
 * fields named in {@code key} (Joinery fetches them even when the client does not select them),
 * whatever order the remote answers in.
 * <pre>
 *   profile:
 *     remote_schema: profiles
 *     batch:
 *       field: profiles                         # the batch field; "a.b" for a nested one
 *       arguments: { authorIds: $id }           # $column = the LIST of the distinct keys' values
 *       key: { authorId: id }                   # result field: table column (several for a composite key)
 *       array: false                            # true: every result of a key, as a list ([] when none)
 *   posts:
 *     remote_schema: blog
 *     batch:
 *       field: posts
 *       arguments: { where: { authorId: { _in: $id } } }       # filter forms work the same
 *       key: { authorId: id }
 *       array: true
 *   stock:
 *     remote_schema: inventory
 *     batch:
 *       field: stocks
 *       arguments: { keys: [ { sku: $sku, store: $store_id } ] }  # a one-element list: one element per distinct key
 *       key: { sku: sku, store: store_id }
 * </pre>
 * {@code field} is a field name, a dotted path ({@code directory.profiles}; {@code arguments} go to
 * the last field), or, when fields on the way need arguments too, an object in the shape of
 * {@code remote_field} (then without {@code arguments}). An object relationship whose key matches
 * no result is null; matching several results is an error for that key, never a guess. A
 * {@code remote_field} given beside {@code batch} is the fallback used when the remote has no
 * usable batch field (for example an older version of it).
 *
 * <p><b>Federation</b> ({@code federation}): the remote schema is an Apollo Federation subgraph and
 * the relationship points at one of its entity types; the keys go as
 * {@code _entities(representations: [{__typename, <key fields>}])} in one request.
 * <pre>
 *   profile:
 *     remote_schema: accounts
 *     federation: { type: Profile, key: { authorId: id } }   # entity key field: table column; one of the type's @key
 * </pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RemoteRelationship(
        @JsonProperty("remote_schema") String remoteSchema,
        @JsonProperty("remote_field") Map<String, RemoteField> remoteField,
        @JsonProperty("batch") Batch batch,
        @JsonProperty("federation") Federation federation) {

    @JsonCreator
    public RemoteRelationship {
        if (remoteSchema == null || remoteSchema.isBlank()) {
            throw new MetadataException("a remote relationship needs 'remote_schema'");
        }
        if (batch != null && federation != null) {
            throw new MetadataException("a remote relationship has either 'batch' or 'federation', not both");
        }
        if (remoteField == null && batch == null && federation == null) {
            throw new MetadataException("a remote relationship needs 'remote_field', 'batch' or 'federation'");
        }
        if (remoteField != null && remoteField.size() != 1) {
            throw new MetadataException("a remote relationship needs 'remote_field' with exactly one field");
        }
        if (remoteField != null && federation != null) {
            throw new MetadataException("a remote relationship has either 'remote_field' or 'federation', not both");
        }
        remoteField = remoteField == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(remoteField));
    }

    /** The per-key form, as before batch and federation joins. */
    public RemoteRelationship(String remoteSchema, Map<String, RemoteField> remoteField) {
        this(remoteSchema, remoteField, null, null);
    }

    /** The steps of {@code remote_field}, outermost first; empty when it is not given. */
    public List<FieldStep> remoteFieldSteps() {
        return steps(remoteField);
    }

    /** One step of the remote field path: its arguments (a JSON template) and the next step, if any. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RemoteField(
            @JsonProperty("arguments") JsonNode arguments,
            @JsonProperty("field") Map<String, RemoteField> field) {

        public RemoteField {
            if (field != null && field.size() != 1) {
                throw new MetadataException("a nested remote 'field' names exactly one field");
            }
            field = field == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(field));
        }
    }

    /** A field of a remote path with its argument template (null: no arguments). */
    public record FieldStep(String field, JsonNode arguments) {
    }

    /**
     * The batch form: the field taking all the keys, its argument template, and the result fields
     * that carry the key ({@code key}: result field → table column, in key order).
     */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public record Batch(
            @JsonProperty("field") JsonNode field,
            @JsonProperty("arguments") JsonNode arguments,
            @JsonProperty("key") Map<String, String> key,
            @JsonProperty("array") boolean array) {

        @JsonCreator
        public Batch {
            if (field == null || !(field.isTextual() || field.isObject())) {
                throw new MetadataException("'batch' needs 'field': a field name, a dotted path, or a remote_field-shaped object");
            }
            if (field.isTextual() && (field.textValue().isBlank() || List.of(field.textValue().split("\\.", -1)).contains(""))) {
                throw new MetadataException("'batch.field' is not a field name or a dotted path: '" + field.textValue() + "'");
            }
            if (field.isObject() && arguments != null) {
                throw new MetadataException("'batch.arguments' goes with a field name; an object 'batch.field' carries its own arguments");
            }
            if (arguments != null && !arguments.isObject()) {
                throw new MetadataException("'batch.arguments' must be an object");
            }
            if (field.isObject()) {
                objectSteps(field, new ArrayList<>());
            }
            if (key == null || key.isEmpty()) {
                throw new MetadataException("'batch' needs 'key': { result field: column, … }");
            }
            key.forEach((resultField, column) -> {
                if (resultField.isBlank() || column == null || column.isBlank()) {
                    throw new MetadataException("'batch.key' maps result fields to columns: { authorId: id }");
                }
            });
            key = Collections.unmodifiableMap(new LinkedHashMap<>(key));
        }

        /** The path to the batch field, outermost first; the last step is the batch field. */
        public List<FieldStep> steps() {
            List<FieldStep> steps = new ArrayList<>();
            if (field.isObject()) {
                objectSteps(field, steps);
                return List.copyOf(steps);
            }
            String[] names = field.textValue().split("\\.");
            for (int i = 0; i < names.length; i++) {
                steps.add(new FieldStep(names[i], i == names.length - 1 ? arguments : null));
            }
            return List.copyOf(steps);
        }

        private static void objectSteps(JsonNode node, List<FieldStep> steps) {
            if (node.size() != 1) {
                throw new MetadataException("an object 'batch.field' names exactly one field at each level");
            }
            var entry = node.properties().iterator().next();
            JsonNode step = entry.getValue();
            if (step != null && !step.isNull() && !step.isObject()) {
                throw new MetadataException("'batch.field." + entry.getKey() + "' must be an object {arguments, field}");
            }
            JsonNode arguments = step == null ? null : step.get("arguments");
            if (arguments != null && !arguments.isNull() && !arguments.isObject()) {
                throw new MetadataException("arguments of '" + entry.getKey() + "' must be an object");
            }
            steps.add(new FieldStep(entry.getKey(), arguments == null || arguments.isNull() ? null : arguments));
            JsonNode next = step == null ? null : step.get("field");
            if (next != null && !next.isNull()) {
                objectSteps(next, steps);
            }
        }
    }

    /** The federation form: an entity type of a subgraph and its key ({@code key}: entity field → table column). */
    public record Federation(
            @JsonProperty("type") String type,
            @JsonProperty("key") Map<String, String> key) {

        @JsonCreator
        public Federation {
            if (type == null || type.isBlank()) {
                throw new MetadataException("'federation' needs 'type': the entity type of the subgraph");
            }
            if (key == null || key.isEmpty()) {
                throw new MetadataException("'federation' needs 'key': { entity key field: column, … }");
            }
            key.forEach((field, column) -> {
                if (field.isBlank() || column == null || column.isBlank()) {
                    throw new MetadataException("'federation.key' maps entity fields to columns: { authorId: id }");
                }
            });
            key = Collections.unmodifiableMap(new LinkedHashMap<>(key));
        }
    }

    private static List<FieldStep> steps(Map<String, RemoteField> field) {
        List<FieldStep> steps = new ArrayList<>();
        Map<String, RemoteField> step = field;
        while (step != null) {
            Map.Entry<String, RemoteField> entry = step.entrySet().iterator().next();
            steps.add(new FieldStep(entry.getKey(), entry.getValue() == null ? null : entry.getValue().arguments()));
            step = entry.getValue() == null ? null : entry.getValue().field();
        }
        return List.copyOf(steps);
    }
}
