package io.joinery.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.joinery.admin.check.MetadataObject;
import io.joinery.admin.check.MetadataObject.ActionRef;
import io.joinery.admin.check.MetadataObject.ComputedFieldRef;
import io.joinery.admin.check.MetadataObject.CustomTypeRef;
import io.joinery.admin.check.MetadataObject.CustomTypeRelationshipRef;
import io.joinery.admin.check.MetadataObject.FunctionRef;
import io.joinery.admin.check.MetadataObject.PermissionRef;
import io.joinery.admin.check.MetadataObject.RelationshipRef;
import io.joinery.admin.check.MetadataObject.SourceRef;
import io.joinery.admin.check.MetadataObject.TableRef;
import io.joinery.admin.check.RemoteRef;
import io.joinery.admin.check.RemoteRef.RemoteRelationshipRef;
import io.joinery.admin.check.RemoteRef.RemoteSchemaRef;
import io.joinery.admin.check.RemoteRef.RemoteTypeRelationshipRef;
import io.joinery.admin.metadata.Action;
import io.joinery.admin.metadata.ComputedField;
import io.joinery.admin.metadata.CustomType;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.RemoteRelationship;
import io.joinery.admin.metadata.RemoteSchemaConfig;
import io.joinery.admin.metadata.RolePermissions;
import io.joinery.admin.metadata.RolePermissions.Operation;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.admin.metadata.TablePermission;
import io.joinery.admin.metadata.TrackedFunction;
import io.joinery.admin.metadata.TypeRelationship;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Builds the next document from the current one, one object at a time; lookups fail with 404 errors.
 * Edits go through the JSON tree of the document, so that parts of it this API does not manage as
 * resources survive a write untouched.
 */
final class Edits {

    private Edits() {
    }

    static Source source(Metadata metadata, String source) {
        return metadata.source(source).orElseThrow(() -> AdminError.notFound("source '" + source + "' does not exist"));
    }

    /** Replaces in place or adds at the end ({@code config} non-null) or removes (null) one source. */
    static Metadata withSource(Metadata metadata, String source, Source config) {
        ObjectNode document = (ObjectNode) MetadataCodec.toTree(metadata);
        ArrayNode sources = document.withArrayProperty("sources");
        int index = -1;
        for (int i = 0; i < sources.size(); i++) {
            String name = sources.get(i).path("name").asText("");
            if (source.equals(name.isBlank() ? Source.DEFAULT : name)) {
                index = i;
                break;
            }
        }
        if (config == null && index >= 0) {
            sources.remove(index);
        } else if (config != null && index >= 0) {
            sources.set(index, MetadataCodec.toTree(config));
        } else if (config != null) {
            sources.add(MetadataCodec.toTree(config));
        }
        return MetadataCodec.convert(document, Metadata.class);
    }

    static TableConfig table(Metadata metadata, String source, QualifiedName table) {
        return source(metadata, source).table(table)
                .orElseThrow(() -> AdminError.notFound("table '" + table + "' is not tracked in source '" + source + "'"));
    }

    /** Replaces or adds ({@code config} non-null) or removes (null) one table of a source. */
    static Metadata withTable(Metadata metadata, String source, QualifiedName table, TableConfig config) {
        source(metadata, source);
        ObjectNode document = (ObjectNode) MetadataCodec.toTree(metadata);
        for (JsonNode node : document.withArrayProperty("sources")) {
            if (!source.equals(node.path("name").asText(Source.DEFAULT))) {
                continue;
            }
            ArrayNode tables = ((ObjectNode) node).withArrayProperty("tables");
            int index = indexOf(tables, table);
            if (config == null && index >= 0) {
                tables.remove(index);
            } else if (config != null && index >= 0) {
                tables.set(index, MetadataCodec.toTree(config));
            } else if (config != null) {
                tables.add(MetadataCodec.toTree(config));
            }
        }
        return MetadataCodec.convert(document, Metadata.class);
    }

    static TrackedFunction function(Metadata metadata, String source, QualifiedName function) {
        return source(metadata, source).functions().stream().filter(f -> f.functionName().equals(function)).findFirst()
                .orElseThrow(() -> AdminError.notFound("function '" + function + "' is not tracked in source '" + source + "'"));
    }

    /** Replaces in place or adds at the end ({@code tracked} non-null) or removes (null) one tracked function of a source. */
    static Metadata withFunction(Metadata metadata, String source, QualifiedName function, TrackedFunction tracked) {
        source(metadata, source);
        ObjectNode document = (ObjectNode) MetadataCodec.toTree(metadata);
        for (JsonNode node : document.withArrayProperty("sources")) {
            if (!source.equals(node.path("name").asText(Source.DEFAULT))) {
                continue;
            }
            ArrayNode functions = ((ObjectNode) node).withArrayProperty("functions");
            replace(functions, indexOf(functions, "function", function), tracked);
        }
        return MetadataCodec.convert(document, Metadata.class);
    }

    static ComputedField computedField(TableConfig table, String name) {
        ComputedField field = table.computedFields().get(name);
        if (field == null) {
            throw AdminError.notFound("table '" + table.table() + "' has no computed field '" + name + "'");
        }
        return field;
    }

    static TableConfig withComputedField(TableConfig table, String name, ComputedField field) {
        return withEntry(table, "computed_fields", name, field);
    }

    /** Takes computed field {@code name} out of the {@code computed_fields} of every select permission of the table. */
    static TableConfig withoutPermittedComputedField(TableConfig table, String name) {
        ObjectNode node = (ObjectNode) MetadataCodec.toTree(table);
        for (JsonNode role : node.path("permissions")) {
            if (role.path("select").path("computed_fields") instanceof ArrayNode permitted) {
                for (int i = permitted.size() - 1; i >= 0; i--) {
                    if (name.equals(permitted.get(i).asText())) {
                        permitted.remove(i);
                    }
                }
            }
        }
        return MetadataCodec.convert(node, TableConfig.class);
    }

    static RemoteSchemaConfig remoteSchema(Metadata metadata, String name) {
        return metadata.remoteSchema(name).orElseThrow(() -> AdminError.notFound("remote schema '" + name + "' does not exist"));
    }

    static RemoteRelationship remoteRelationship(TableConfig table, String name) {
        RemoteRelationship relationship = table.remoteRelationships().get(name);
        if (relationship == null) {
            throw AdminError.notFound("table '" + table.table() + "' has no remote relationship '" + name + "'");
        }
        return relationship;
    }

    /** Replaces or adds at the end ({@code config} non-null) or removes (null) one remote schema. */
    static Metadata withRemoteSchema(Metadata metadata, String name, RemoteSchemaConfig config) {
        ObjectNode document = (ObjectNode) MetadataCodec.toTree(metadata);
        ArrayNode remotes = document.withArrayProperty("remote_schemas");
        int index = indexOf(remotes, "name", name);
        if (config == null && index >= 0) {
            remotes.remove(index);
        } else if (config != null && index >= 0) {
            remotes.set(index, MetadataCodec.toTree(config));
        } else if (config != null) {
            remotes.add(MetadataCodec.toTree(config));
        }
        return MetadataCodec.convert(document, Metadata.class);
    }

    /** The relationship {@code name} of type {@code type} of remote schema {@code remote}; 404 when the schema, the type's entry or the relationship is missing. */
    static TypeRelationship typeRelationship(Metadata metadata, String remote, String type, String name) {
        RemoteSchemaConfig config = remoteSchema(metadata, remote);
        Map<String, TypeRelationship> relationships = config.relationships().get(type);
        if (relationships == null) {
            throw AdminError.notFound("remote schema '" + remote + "' has no relationships on type '" + type + "'");
        }
        TypeRelationship relationship = relationships.get(name);
        if (relationship == null) {
            throw AdminError.notFound("remote schema '" + remote + "' has no relationship '" + name + "' on type '" + type + "'");
        }
        return relationship;
    }

    /**
     * Sets ({@code relationship} non-null) or removes (null) relationship {@code name} of type
     * {@code type} of remote schema {@code remote}, which must exist; a type left without
     * relationships is removed from the map. The edit goes through the JSON tree, so the remote
     * schema's other parts are kept as they are.
     */
    static Metadata withTypeRelationship(Metadata metadata, String remote, String type, String name, TypeRelationship relationship) {
        remoteSchema(metadata, remote);
        ObjectNode document = (ObjectNode) MetadataCodec.toTree(metadata);
        ArrayNode remotes = document.withArrayProperty("remote_schemas");
        ObjectNode schema = (ObjectNode) remotes.get(indexOf(remotes, "name", remote));
        ObjectNode types = schema.withObjectProperty("relationships");
        ObjectNode fields = types.withObjectProperty(type);
        if (relationship == null) {
            fields.remove(name);
        } else {
            fields.set(name, MetadataCodec.toTree(relationship));
        }
        if (fields.isEmpty()) {
            types.remove(type);
        }
        if (types.isEmpty()) {
            schema.remove("relationships");
        }
        return MetadataCodec.convert(document, Metadata.class);
    }

    static TableConfig withRemoteRelationship(TableConfig table, String name, RemoteRelationship relationship) {
        return withEntry(table, "remote_relationships", name, relationship);
    }

    /** Removes the remote objects a cascading delete named (remote relationships, remote schemas' type relationships). */
    static Metadata withoutRemote(Metadata metadata, List<? extends RemoteRef> objects) {
        Metadata next = metadata;
        for (RemoteRef object : objects) {
            next = switch (object) {
                case RemoteRelationshipRef r -> edit(next, r.table(), t -> withRemoteRelationship(t, r.name(), null));
                case RemoteTypeRelationshipRef r -> withoutTypeRelationship(next, r);
                case RemoteSchemaRef r -> withRemoteSchema(next, r.name(), null);
            };
        }
        return next;
    }

    static TableConfig withRelationship(TableConfig table, String name, Relationship relationship) {
        return withEntry(table, "relationships", name, relationship);
    }

    static TableConfig withPermissions(TableConfig table, String role, RolePermissions permissions) {
        return withEntry(table, "permissions", role, permissions);
    }

    /**
     * Sets or removes ({@code permission} null) the permission of one operation of a role, keeping
     * the role's others; a role left without operations is removed.
     */
    static TableConfig withPermission(TableConfig table, String role, Operation operation, TablePermission permission) {
        RolePermissions current = table.permissions().getOrDefault(role, new RolePermissions(null));
        RolePermissions next = current.with(operation, permission);
        return withPermissions(table, role, next.operations().isEmpty() ? null : next);
    }

    /** Removes the objects named by {@code objects} (the dependents of a cascading delete); a permission may be a role's or one operation's. */
    static Metadata without(Metadata metadata, List<MetadataObject> objects) {
        Metadata next = metadata;
        for (MetadataObject object : objects) {
            next = switch (object) {
                case RelationshipRef r -> edit(next, r.table(), t -> withRelationship(t, r.name(), null));
                case ComputedFieldRef c -> edit(next, c.table(), t -> withComputedField(withoutPermittedComputedField(t, c.name()), c.name(), null));
                case PermissionRef p -> edit(next, p.table(), t -> p.operation() == null
                        ? withPermissions(t, p.role(), null)
                        : withPermission(t, p.role(), p.operation(), null));
                case TableRef t -> withTable(next, t.source(), t.table(), null);
                case SourceRef s -> throw new IllegalArgumentException("sources are not removed by cascade: " + s.describe());
                case FunctionRef f -> next.source(f.source()).isPresent() ? withFunction(next, f.source(), f.function(), null) : next;
                case ActionRef a -> withAction(next, a.name(), null);
                case CustomTypeRef c -> withCustomType(next, c.name(), null);
                case CustomTypeRelationshipRef r -> withoutCustomTypeRelationship(next, r);
            };
        }
        return next;
    }

    static Action action(Metadata metadata, String name) {
        return metadata.action(name).orElseThrow(() -> AdminError.notFound("action '" + name + "' does not exist"));
    }

    /** Replaces in place or adds at the end ({@code action} non-null) or removes (null) one action. */
    static Metadata withAction(Metadata metadata, String name, Action action) {
        ObjectNode document = (ObjectNode) MetadataCodec.toTree(metadata);
        ArrayNode actions = document.withArrayProperty("actions");
        replace(actions, indexOf(actions, "name", name), action);
        return MetadataCodec.convert(document, Metadata.class);
    }

    static CustomType customType(Metadata metadata, String name) {
        return metadata.customType(name).orElseThrow(() -> AdminError.notFound("custom type '" + name + "' does not exist"));
    }

    /** Replaces in place or adds at the end ({@code type} non-null) or removes (null) the custom type named {@code name}. */
    static Metadata withCustomType(Metadata metadata, String name, CustomType type) {
        ObjectNode document = (ObjectNode) MetadataCodec.toTree(metadata);
        ArrayNode types = document.withArrayProperty("custom_types");
        int index = metadata.customType(name).map(metadata.customTypes()::indexOf).orElse(-1);
        replace(types, index, type);
        return MetadataCodec.convert(document, Metadata.class);
    }

    private static void replace(ArrayNode objects, int index, Object value) {
        if (value == null && index >= 0) {
            objects.remove(index);
        } else if (value != null && index >= 0) {
            objects.set(index, MetadataCodec.toTree(value));
        } else if (value != null) {
            objects.add(MetadataCodec.toTree(value));
        }
    }

    private static Metadata withoutCustomTypeRelationship(Metadata metadata, CustomTypeRelationshipRef ref) {
        return metadata.customType(ref.type().name())
                .map(type -> {
                    Map<String, Relationship> relationships = new LinkedHashMap<>(type.relationships());
                    relationships.remove(ref.name());
                    return withCustomType(metadata, ref.type().name(), new CustomType(type.definition(), relationships));
                })
                .orElse(metadata);
    }

    private static Metadata withoutTypeRelationship(Metadata metadata, RemoteTypeRelationshipRef ref) {
        ObjectNode document = (ObjectNode) MetadataCodec.toTree(metadata);
        ArrayNode remotes = document.withArrayProperty("remote_schemas");
        int index = indexOf(remotes, "name", ref.remoteSchema());
        if (index < 0 || !(remotes.get(index).path("relationships") instanceof ObjectNode types)
                || !(types.path(ref.type()) instanceof ObjectNode fields)) {
            return metadata;
        }
        fields.remove(ref.name());
        if (fields.isEmpty()) {
            types.remove(ref.type());
        }
        return MetadataCodec.convert(document, Metadata.class);
    }

    private static Metadata edit(Metadata metadata, TableRef ref, UnaryOperator<TableConfig> change) {
        return metadata.source(ref.source()).flatMap(s -> s.table(ref.table()))
                .map(t -> withTable(metadata, ref.source(), ref.table(), change.apply(t)))
                .orElse(metadata);
    }

    /**
     * Sets or removes ({@code value} null) one entry of a map of the table. The edit goes through
     * the JSON tree, so that parts of the document this API does not know yet are kept as they are.
     */
    private static TableConfig withEntry(TableConfig table, String property, String key, Object value) {
        ObjectNode node = (ObjectNode) MetadataCodec.toTree(table);
        ObjectNode entries = node.withObjectProperty(property);
        if (value == null) {
            entries.remove(key);
        } else {
            entries.set(key, MetadataCodec.toTree(value));
        }
        return MetadataCodec.convert(node, TableConfig.class);
    }

    private static int indexOf(ArrayNode objects, String property, String name) {
        for (int i = 0; i < objects.size(); i++) {
            if (name.equals(objects.get(i).path(property).asText(null))) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(ArrayNode objects, String property, QualifiedName name) {
        for (int i = 0; i < objects.size(); i++) {
            if (QualifiedName.parse(objects.get(i).path(property).asText()).equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(ArrayNode tables, QualifiedName table) {
        for (int i = 0; i < tables.size(); i++) {
            if (QualifiedName.parse(tables.get(i).path("table").asText()).equals(table)) {
                return i;
            }
        }
        return -1;
    }
}
