package io.joinery.proxy.schema;

import com.fasterxml.jackson.databind.JsonNode;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import io.joinery.admin.metadata.RemoteRelationship;
import io.joinery.proxy.remote.RemoteSchema;
import io.joinery.proxy.remote.Subgraph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a remote relationship against the live remote schema and the keys of the side it starts
 * from ({@link JoinParent}): a table's columns, or the scalar fields of a remote schema's object
 * type (a remote → remote relationship, whose {@code $field}s play the part of {@code $column}s
 * below), for each of its forms (see {@link RemoteRelationship}):
 * <ul>
 *   <li>per key: the remote exists, each field of the path exists, each argument exists, non-null
 *       arguments are given, and every {@code $column} is a column of the table;</li>
 *   <li>batch: the same for the path to the batch field, and: every {@code $column} is a key
 *       column and stands where the argument accepts a list of a type comparable with the
 *       column's (or, inside a one-element list template, one such value); the batch field
 *       returns a list of an object type that has the key fields, of types comparable with the
 *       key columns'. The field's type is that object type, or a list of it for an array;</li>
 *   <li>federation: the remote is a subgraph, the type is one of its entities and the key is one
 *       of the type's resolvable {@code @key}s, of comparable types. The field's type is the entity type.</li>
 * </ul>
 * Returns the model, or a problem.
 */
final class RemoteRelationshipResolver {

    private static final System.Logger LOG = System.getLogger(RemoteRelationshipResolver.class.getName());

    private RemoteRelationshipResolver() {
    }

    sealed interface Resolution {
    }

    record Resolved(RemoteRelationshipModel model) implements Resolution {
    }

    /** {@code unavailable}: the target remote schema is not available, which is not a problem of the relationship's own. */
    record Problem(String reason, boolean unavailable) implements Resolution {

        Problem(String reason) {
            this(reason, false);
        }

        /** The problem as the builder reports it: of {@code kind}, or reported elsewhere. Note [Problem kinds]. */
        SchemaProblem as(SchemaProblem.Kind kind) {
            return new SchemaProblem(unavailable ? SchemaProblem.Kind.REPORTED_ELSEWHERE : kind, reason);
        }
    }

    static Resolution resolve(String name, RemoteRelationship relationship, TableModel table, Map<String, RemoteSchema> remotes) {
        return resolve(name, relationship, new JoinParent.Table(table), remotes);
    }

    /** @param remotes the usable remote schemas by name, the target among them unless it is unavailable */
    static Resolution resolve(String name, RemoteRelationship relationship, JoinParent from, Map<String, RemoteSchema> remotes) {
        String where = from.where(name);
        RemoteSchema remote = remotes.get(relationship.remoteSchema());
        if (remote == null) {
            return new Problem(where + "remote schema '" + relationship.remoteSchema() + "' is not available", true);
        }
        if (!SchemaModelBuilder.validName(name) || from.collides(name)) {
            return new Problem(where + "the name is not a valid GraphQL name or collides with a field of the " + from.noun());
        }
        if (relationship.federation() != null) {
            return entities(name, relationship.federation(), from, remote, where);
        }
        if (relationship.batch() == null) {
            return perKey(name, relationship, from, remote, where);
        }
        Resolution batch = listArgument(name, relationship.batch(), from, remote, where);
        if (!(batch instanceof Problem problem) || relationship.remoteField() == null) {
            return batch;
        }
        Resolution fallback = perKey(name, relationship, from, remote, where);
        if (fallback instanceof Resolved resolved && isList(resolved.model().type()) == relationship.batch().array()) {
            LOG.log(System.Logger.Level.WARNING, problem.reason() + "; using its per-key remote_field instead");
            return fallback;
        }
        return batch;
    }

    // ---- per key

    private static Resolution perKey(String name, RemoteRelationship relationship, JoinParent from, RemoteSchema remote, String where) {
        List<RemotePathStep> path = new ArrayList<>();
        Set<String> columns = new LinkedHashSet<>();
        GraphQLFieldsContainer parent = remote.schema().getQueryType();
        GraphQLOutputType type = null;
        for (RemoteRelationship.FieldStep step : relationship.remoteFieldSteps()) {
            if (parent == null) {
                return new Problem(where + "field " + step.field() + " follows a field that has no fields");
            }
            GraphQLFieldDefinition field = parent.getFieldDefinition(step.field());
            if (field == null) {
                return missingField(where, parent, step.field(), remote);
            }
            String argumentProblem = checkArguments(field, step.arguments(), from, columns, true);
            if (argumentProblem != null) {
                return new Problem(where + argumentProblem);
            }
            path.add(new RemotePathStep(step.field(), step.arguments()));
            type = field.getType();
            parent = unwrap(type) instanceof GraphQLFieldsContainer container ? container : null;
        }
        // A table's relationship whose arguments use no column is a constant: every row gets the same answer,
        // fetched once (as in Hasura). Joins into remote answers need a key field.
        if (columns.isEmpty() && from instanceof JoinParent.RemoteType) {
            return new Problem(where + "its arguments use no " + from.keyWord() + " of the " + from.noun() + " ($" + from.keyWord() + ")");
        }
        return new Resolved(new RemoteRelationshipModel(name, remote.name(), List.copyOf(columns), path, type));
    }

    // ---- batch (one list argument)

    private static Resolution listArgument(String name, RemoteRelationship.Batch batch, JoinParent from, RemoteSchema remote,
                                           String where) {
        List<String> keyColumns = new ArrayList<>(batch.key().values());
        for (String column : keyColumns) {
            if (from.key(column).isEmpty()) {
                return new Problem(where + "batch key " + from.keyWord() + " " + column + " " + from.notAKey(column));
            }
        }
        List<RemoteRelationship.FieldStep> steps = batch.steps();
        List<RemotePathStep> path = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        GraphQLFieldsContainer parent = remote.schema().getQueryType();
        GraphQLFieldDefinition field = null;
        for (int i = 0; i < steps.size(); i++) {
            RemoteRelationship.FieldStep step = steps.get(i);
            field = parent.getFieldDefinition(step.field());
            if (field == null) {
                return missingField(where, parent, step.field(), remote);
            }
            String problem = checkArguments(field, step.arguments(), from, used, false);
            if (problem == null) {
                problem = checkBatchArguments(field, step.arguments(), from, keyColumns);
            }
            if (problem != null) {
                return new Problem(where + problem);
            }
            boolean last = i == steps.size() - 1;
            if (!last) {
                GraphQLType next = unwrapNonNull(field.getType());
                if (!(next instanceof GraphQLFieldsContainer container)) {
                    return new Problem(where + "batch field path goes through " + field.getName() + ", which is "
                            + (next instanceof GraphQLList ? "a list" : "not an object") + "; only the last field returns the list");
                }
                parent = container;
            }
            path.add(new RemotePathStep(step.field(), step.arguments(),
                    last ? new JoinForm.ListArgument(List.copyOf(batch.key().keySet()), batch.array()) : JoinForm.PER_KEY));
        }
        if (used.isEmpty()) {
            return new Problem(where + "the batch arguments use no key column ($column)");
        }
        if (!(unwrapNonNull(field.getType()) instanceof GraphQLList list)
                || !(unwrapNonNull(list.getWrappedType()) instanceof GraphQLFieldsContainer element)) {
            return new Problem(where + "batch field " + field.getName() + " returns " + GraphQLTypeUtil.simplePrint(field.getType())
                    + ", not a list of objects");
        }
        for (Map.Entry<String, String> key : batch.key().entrySet()) {
            String problem = checkKeyField(from, element, key.getKey(), from.key(key.getValue()).orElseThrow(), "result field");
            if (problem != null) {
                return new Problem(where + "batch key: " + problem);
            }
        }
        GraphQLOutputType type = batch.array() ? GraphQLList.list(GraphQLNonNull.nonNull(element)) : element;
        return new Resolved(new RemoteRelationshipModel(name, remote.name(), keyColumns, path, type));
    }

    /** Where the batch argument templates put each {@code $column}: a key column, as a list of its values (or one value inside a per-key list element). */
    private static String checkBatchArguments(GraphQLFieldDefinition field, JsonNode arguments, JoinParent from, List<String> keyColumns) {
        if (arguments == null) {
            return null;
        }
        for (Map.Entry<String, JsonNode> entry : arguments.properties()) {
            String problem = checkBatchTemplate(entry.getValue(), field.getArgument(entry.getKey()).getType(), from, keyColumns,
                    false, field.getName() + "(" + entry.getKey());
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String checkBatchTemplate(JsonNode template, GraphQLInputType type, JoinParent from, List<String> keyColumns,
                                             boolean perKey, String at) {
        if (!usesColumns(template)) {
            return null;
        }
        GraphQLType unwrapped = unwrapNonNull(type);
        if (template.isTextual() && template.textValue().startsWith("$")) {
            String name = template.textValue().substring(1);
            if (!keyColumns.contains(name)) {
                return "argument " + at + ") uses $" + name + ", which is not a " + from.keyWord() + " of the batch key " + keyColumns;
            }
            ColumnModel column = from.key(name).orElseThrow();
            if (perKey) {
                String problem = comparable(from, column, unwrapped);
                return problem == null ? null : "argument " + at + ") takes one value of $" + name + " per key, but " + problem;
            }
            if (!(unwrapped instanceof GraphQLList list)) {
                return "argument " + at + ") gets the list of the keys' $" + name + " values, but it is "
                        + GraphQLTypeUtil.simplePrint(type) + ", not a list";
            }
            String problem = comparable(from, column, unwrapNonNull(list.getWrappedType()));
            return problem == null ? null : "argument " + at + ") gets the list of the keys' $" + name + " values, but " + problem;
        }
        if (template.isObject()) {
            if (!(unwrapped instanceof GraphQLInputObjectType object)) {
                return "argument " + at + ") is given an object, but it is " + GraphQLTypeUtil.simplePrint(type);
            }
            for (Map.Entry<String, JsonNode> entry : template.properties()) {
                GraphQLInputObjectField field = object.getField(entry.getKey());
                if (field == null) {
                    return "argument " + at + ") uses field " + entry.getKey() + ", which input type " + object.getName() + " does not have";
                }
                String problem = checkBatchTemplate(entry.getValue(), field.getType(), from, keyColumns, perKey, at + "." + entry.getKey());
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        if (template.isArray()) {
            GraphQLInputType item = unwrapped instanceof GraphQLList list ? (GraphQLInputType) list.getWrappedType() : null;
            boolean expands = !perKey && template.size() == 1 && usesColumns(template.get(0));
            if (!perKey && !expands && usesColumns(template)) {
                return "argument " + at + ") has a list template that uses columns; it must have exactly one element (one per key)";
            }
            if (item == null && usesColumns(template)) {
                return "argument " + at + ") is given a list, but it is " + GraphQLTypeUtil.simplePrint(type);
            }
            for (JsonNode element : template) {
                String problem = checkBatchTemplate(element, item, from, keyColumns, perKey || expands, at + "[]");
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    // ---- federation (_entities)

    private static Resolution entities(String name, RemoteRelationship.Federation federation, JoinParent from, RemoteSchema remote,
                                       String where) {
        Subgraph subgraph = remote.subgraph();
        if (!subgraph.federated()) {
            return new Problem(where + "remote schema '" + remote.name() + "' is not an Apollo Federation subgraph (it does not answer _service { sdl })");
        }
        GraphQLObjectType type = remote.schema().getObjectType(federation.type());
        if (type == null) {
            return new Problem(where + "remote schema '" + remote.name() + "' has no object type " + federation.type());
        }
        List<Subgraph.EntityKey> keys = subgraph.keys(federation.type());
        if (keys.isEmpty()) {
            return new Problem(where + "type " + federation.type() + " is not an entity of subgraph '" + remote.name() + "' (it has no @key)");
        }
        Set<String> wanted = new HashSet<>(federation.key().keySet());
        boolean matches = keys.stream().anyMatch(k -> k.flat() && k.resolvable() && new HashSet<>(k.topLevel()).equals(wanted));
        if (!matches) {
            return new Problem(where + "the key " + federation.key().keySet() + " is none of the resolvable @keys of "
                    + federation.type() + ": " + keys.stream().filter(Subgraph.EntityKey::resolvable).map(k -> "\"" + k.fields() + "\"").toList());
        }
        for (Map.Entry<String, String> key : federation.key().entrySet()) {
            var column = from.key(key.getValue());
            if (column.isEmpty()) {
                return new Problem(where + "federation key " + from.keyWord() + " " + key.getValue() + " " + from.notAKey(key.getValue()));
            }
            String problem = checkKeyField(from, type, key.getKey(), column.get(), "entity field");
            if (problem != null) {
                return new Problem(where + "federation key: " + problem);
            }
        }
        List<RemotePathStep> path = List.of(new RemotePathStep(JoinForm.Entities.FIELD, null,
                new JoinForm.Entities(federation.type(), List.copyOf(federation.key().keySet()))));
        return new Resolved(new RemoteRelationshipModel(name, remote.name(), List.copyOf(federation.key().values()), path, type));
    }

    // ---- shared checks

    private static Problem missingField(String where, GraphQLFieldsContainer parent, String field, RemoteSchema remote) {
        return new Problem(where + "uses field " + parent.getName() + "." + field + " of remote schema '"
                + remote.name() + "', which does not exist");
    }

    /** A key field of a result or entity type: it exists, holds one scalar or enum value, comparable with the column's. */
    private static String checkKeyField(JoinParent from, GraphQLFieldsContainer type, String fieldName, ColumnModel column, String what) {
        GraphQLFieldDefinition field = type.getFieldDefinition(fieldName);
        if (field == null) {
            return what + " " + type.getName() + "." + fieldName + " does not exist";
        }
        String problem = comparable(from, column, unwrapNonNull(field.getType()));
        return problem == null ? null : what + " " + type.getName() + "." + fieldName + " cannot match " + from.keyWord() + " "
                + column.column() + ": " + problem;
    }

    /**
     * Whether the values of a column (or of a parent's scalar field) and of a remote scalar or enum
     * can be the same key: numbers with {@code Int}/{@code Float}, booleans with {@code Boolean},
     * anything but JSON and arrays with {@code ID}, {@code String}, enums and custom scalars. Null
     * when they can; else why not.
     */
    static String comparable(JoinParent from, ColumnModel column, GraphQLType remote) {
        String columnType = from.typeOf(column);
        if (column.array() || column.kind().json()) {
            return columnType + " cannot be a join key";
        }
        if (remote instanceof GraphQLList) {
            return "the remote type is a list, not one value like " + columnType;
        }
        if (remote instanceof GraphQLEnumType) {
            return column.kind().textual() ? null : "enum " + ((GraphQLEnumType) remote).getName() + " does not compare with " + columnType;
        }
        if (!(remote instanceof GraphQLScalarType scalar)) {
            return "the remote type " + GraphQLTypeUtil.simplePrint(remote) + " is not a scalar or an enum";
        }
        boolean fits = switch (scalar.getName()) {
            case "Int", "Float" -> column.kind().numeric();
            case "Boolean" -> column.kind() == ScalarKind.BOOLEAN;
            default -> column.kind() != ScalarKind.BOOLEAN;
        };
        return fits ? null : "remote type " + scalar.getName() + " does not compare with " + columnType;
    }

    private static String checkArguments(GraphQLFieldDefinition field, JsonNode arguments, JoinParent from, Set<String> columns,
                                         boolean perKeyTypes) {
        if (arguments != null && !arguments.isObject()) {
            return "arguments of " + field.getName() + " must be an object";
        }
        for (GraphQLArgument argument : field.getArguments()) {
            boolean given = arguments != null && arguments.has(argument.getName());
            if (!given && argument.getType() instanceof GraphQLNonNull && !argument.hasSetDefaultValue()) {
                return "argument " + argument.getName() + " of " + field.getName() + " is required";
            }
        }
        if (arguments == null) {
            return null;
        }
        for (Map.Entry<String, JsonNode> entry : arguments.properties()) {
            if (field.getArgument(entry.getKey()) == null) {
                return "field " + field.getName() + " has no argument " + entry.getKey();
            }
            String missing = collectColumns(entry.getValue(), from, columns);
            if (missing != null) {
                return "argument " + entry.getKey() + " uses $" + missing + ", which " + from.notAKey(missing);
            }
            String mismatch = perKeyTypes ? checkTypes(entry.getValue(), field.getArgument(entry.getKey()).getType(), from) : null;
            if (mismatch != null) {
                return "argument " + entry.getKey() + " of " + field.getName() + ": " + mismatch;
            }
        }
        return null;
    }

    /** Whether each {@code $column} of a template stands where the remote accepts a value of the column's type. */
    private static String checkTypes(JsonNode template, graphql.schema.GraphQLInputType type, JoinParent from) {
        GraphQLType expected = unwrapNonNull(type);
        if (template.isTextual() && template.textValue().startsWith("$")) {
            ColumnModel column = from.key(template.textValue().substring(1)).orElseThrow();
            // A list position takes one value too (input coercion), and the batch form sends the list of keys there.
            GraphQLType item = expected instanceof GraphQLList list ? unwrapNonNull(list.getWrappedType()) : expected;
            String problem = comparable(from, column, item);
            return problem == null ? null : "$" + column.column() + ": " + problem;
        }
        if (template.isObject() && expected instanceof graphql.schema.GraphQLInputObjectType object) {
            for (Map.Entry<String, JsonNode> entry : template.properties()) {
                var field = object.getField(entry.getKey());
                if (field == null) {
                    return "input type " + object.getName() + " has no field " + entry.getKey();
                }
                String problem = checkTypes(entry.getValue(), field.getType(), from);
                if (problem != null) {
                    return problem;
                }
            }
        }
        if (template.isArray() && expected instanceof GraphQLList list) {
            for (JsonNode item : template) {
                String problem = checkTypes(item, (graphql.schema.GraphQLInputType) list.getWrappedType(), from);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    private static String collectColumns(JsonNode template, JoinParent from, Set<String> columns) {
        if (template.isTextual() && template.textValue().startsWith("$")) {
            String column = template.textValue().substring(1);
            if (from.key(column).isEmpty()) {
                return column;
            }
            columns.add(column);
            return null;
        }
        for (JsonNode child : template) {
            String missing = collectColumns(child, from, columns);
            if (missing != null) {
                return missing;
            }
        }
        return null;
    }

    private static boolean usesColumns(JsonNode template) {
        if (template.isTextual()) {
            return template.textValue().startsWith("$");
        }
        for (JsonNode child : template) {
            if (usesColumns(child)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isList(GraphQLType type) {
        return unwrapNonNull(type) instanceof GraphQLList;
    }

    private static GraphQLType unwrapNonNull(GraphQLType type) {
        return type instanceof GraphQLNonNull nonNull ? nonNull.getWrappedType() : type;
    }

    /** The named type under any list and non-null wrappers. */
    static graphql.schema.GraphQLType unwrap(graphql.schema.GraphQLType type) {
        return graphql.schema.GraphQLTypeUtil.unwrapAll(type);
    }
}
