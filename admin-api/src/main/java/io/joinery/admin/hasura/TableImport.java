package io.joinery.admin.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.joinery.admin.catalog.ForeignKey;
import io.joinery.admin.metadata.ComputedField;
import io.joinery.admin.metadata.MetadataException;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.RemoteRelationship;
import io.joinery.admin.metadata.RemoteRelationship.RemoteField;
import io.joinery.admin.metadata.DeletePermission;
import io.joinery.admin.metadata.InsertPermission;
import io.joinery.admin.metadata.RolePermissions;
import io.joinery.admin.metadata.RolePermissions.Operation;
import io.joinery.admin.metadata.RootFieldNames;
import io.joinery.admin.metadata.SelectPermission;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.admin.metadata.TablePermission;
import io.joinery.admin.metadata.UpdatePermission;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.joinery.admin.hasura.UnmappedCollector.child;
import static io.joinery.admin.hasura.UnmappedCollector.itemName;

/**
 * Converts the tracked tables of one Hasura source: custom names, enum tables, relationships, remote
 * relationships, computed fields and select, insert, update and delete permissions. An object that fails to
 * convert is listed and left out; the rest of its table is still imported.
 */
final class TableImport {

    private static final Set<String> TABLE_KEYS = Set.of("table", "is_enum", "configuration", "object_relationships",
            "array_relationships", "remote_relationships", "computed_fields", "select_permissions", "insert_permissions", "update_permissions",
            "delete_permissions");

    private final Source source;
    private final ForeignKeys foreignKeys;
    private final UnmappedCollector unmapped;

    /** {@code source} without its tables; {@code foreignKeys} is null when the caller has no database catalog. */
    TableImport(Source source, ForeignKeys foreignKeys, UnmappedCollector unmapped) {
        this.source = source;
        this.foreignKeys = foreignKeys;
        this.unmapped = unmapped;
    }

    /** The table, or empty (and listed) when the export does not name it. */
    Optional<TableConfig> convert(JsonNode table, String tablesPath, int index) {
        QualifiedName name;
        try {
            name = tableName(table.path("table"));
        } catch (MetadataException e) {
            unmapped.add(tablesPath + "[" + index + "]", "table", e.getMessage());
            return Optional.empty();
        }
        return Optional.of(convert(name, table, tablesPath + "[" + name + "]"));
    }

    private TableConfig convert(QualifiedName name, JsonNode table, String path) {
        JsonNode configuration = table.path("configuration");
        String configurationPath = child(path, "configuration");
        String customName = text(configuration.path("custom_name"));
        Map<String, String> rootFieldComments = new LinkedHashMap<>();
        RootFieldNames rootFields = rootFields(configuration.path("custom_root_fields"), child(configurationPath, "custom_root_fields"),
                rootFieldComments);
        Map<String, String> columns = columns(configuration, configurationPath);
        Map<String, String> columnComments = new LinkedHashMap<>();
        configuration.path("column_config").properties().forEach(column -> {
            if (column.getValue().path("comment").isTextual()) {
                columnComments.put(column.getKey(), column.getValue().path("comment").textValue());
            }
        });
        unmapped.rest(configuration, configurationPath,
                Set.of("custom_name", "custom_root_fields", "column_config", "custom_column_names", "comment"));

        Map<String, Relationship> relationships = new LinkedHashMap<>();
        relationships.putAll(relationships(table, "object_relationships", name, path));
        relationships.putAll(relationships(table, "array_relationships", name, path));
        Map<String, RemoteRelationship> remoteRelationships = remoteRelationships(table.path("remote_relationships"),
                child(path, "remote_relationships"), relationships);
        Map<String, ComputedField> computedFields = computedFields(table.path("computed_fields"), child(path, "computed_fields"));
        Map<String, RolePermissions> permissions = permissions(table, path);
        unmapped.rest(table, path, TABLE_KEYS);
        return new TableConfig(name.toString(), customName, rootFields, columns, relationships, permissions, remoteRelationships,
                table.path("is_enum").asBoolean(false), computedFields, text(configuration.path("comment")), columnComments, rootFieldComments);
    }

    /** {@code [{name, definition: {function, table_argument, session_argument}, comment}]}; the function is a name or {schema, name}. */
    private Map<String, ComputedField> computedFields(JsonNode list, String listPath) {
        Map<String, ComputedField> fields = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode field = list.get(i);
            String label = itemName(field, i);
            String path = listPath + "[" + label + "]";
            try {
                String name = requiredText(field, "name");
                JsonNode definition = field.path("definition");
                fields.put(name, new ComputedField(tableName(definition.path("function")).toString(),
                        text(definition.path("table_argument")), text(definition.path("session_argument")), text(field.path("comment"))));
                unmapped.rest(definition, child(path, "definition"), Set.of("function", "table_argument", "session_argument"));
            } catch (MetadataException e) {
                unmapped.add(path, "computed field '" + label + "'", e.getMessage());
            }
            unmapped.rest(field, path, Set.of("name", "definition", "comment"));
        }
        return fields;
    }

    private RootFieldNames rootFields(JsonNode fields, String path, Map<String, String> comments) {
        for (Map.Entry<String, JsonNode> field : fields.properties()) {
            if (!TableConfig.ROOT_FIELD_KEYS.contains(field.getKey()) && UnmappedCollector.meaningful(field.getValue())) {
                unmapped.add(child(path, field.getKey()), "custom name of root field '" + field.getKey() + "'",
                        field.getKey().equals("select_stream") ? "Joinery has no streaming subscriptions" : UnmappedCollector.NO_MUTATIONS);
            }
        }
        return new RootFieldNames(rootField(fields, "select", path, comments), rootField(fields, "select_by_pk", path, comments),
                rootField(fields, "select_aggregate", path, comments), rootField(fields, "insert", path, comments),
                rootField(fields, "insert_one", path, comments), rootField(fields, "update", path, comments),
                rootField(fields, "update_by_pk", path, comments), rootField(fields, "delete", path, comments),
                rootField(fields, "delete_by_pk", path, comments), rootField(fields, "update_many", path, comments));
    }

    /** Hasura writes a custom root field as a name or as {@code {name, comment}}; the comment goes to {@code comments}. */
    private String rootField(JsonNode fields, String key, String path, Map<String, String> comments) {
        JsonNode value = fields.path(key);
        if (!value.isObject()) {
            return text(value);
        }
        if (value.path("comment").isTextual()) {
            comments.put(key, value.path("comment").textValue());
        }
        unmapped.rest(value, child(path, key), Set.of("name", "comment"));
        return text(value.path("name"));
    }

    /** {@code column_config} wins over the older {@code custom_column_names}, as in Hasura. */
    private Map<String, String> columns(JsonNode configuration, String path) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> column : configuration.path("column_config").properties()) {
            String customName = text(column.getValue().path("custom_name"));
            if (customName != null) {
                columns.put(column.getKey(), customName);
            }
            unmapped.rest(column.getValue(), child(child(path, "column_config"), column.getKey()), Set.of("custom_name", "comment"));
        }
        for (Map.Entry<String, JsonNode> column : configuration.path("custom_column_names").properties()) {
            if (column.getValue().isTextual()) {
                columns.putIfAbsent(column.getKey(), column.getValue().textValue());
            }
        }
        return columns;
    }

    private Map<String, Relationship> relationships(JsonNode table, String key, QualifiedName self, String tablePath) {
        boolean array = key.equals("array_relationships");
        Map<String, Relationship> relationships = new LinkedHashMap<>();
        JsonNode list = table.path(key);
        for (int i = 0; i < list.size(); i++) {
            JsonNode relationship = list.get(i);
            String label = itemName(relationship, i);
            String path = child(tablePath, key) + "[" + label + "]";
            String what = (array ? "array" : "object") + " relationship '" + label + "'";
            try {
                String name = requiredText(relationship, "name");
                relationship(relationship.path("using"), array, self, path, what).ifPresent(r -> relationships.put(name, r));
            } catch (MetadataException e) {
                unmapped.add(path, what, e.getMessage());
            }
            unmapped.rest(relationship, path, Set.of("name", "using"));
        }
        return relationships;
    }

    private Optional<Relationship> relationship(JsonNode using, boolean array, QualifiedName self, String path, String what) {
        JsonNode manual = using.path("manual_configuration");
        if (manual.isObject()) {
            unmapped.rest(manual, path + ".using.manual_configuration", Set.of("remote_table", "column_mapping"));
            return Optional.of(relationship(array, tableName(manual.path("remote_table")), stringMap(manual.path("column_mapping"))));
        }
        JsonNode constraint = using.path("foreign_key_constraint_on");
        if (constraint.isTextual() || constraint.isArray()) {
            if (array) {
                throw new MetadataException("an array relationship's foreign_key_constraint_on names {table, column}");
            }
            return foreignKey(self, strings(constraint), path, what)
                    .map(key -> new Relationship(key.target().toString(), null, key.columns(), null, true));
        }
        if (constraint.isObject()) {
            QualifiedName other = tableName(constraint.path("table"));
            List<String> columns = strings(constraint.has("columns") ? constraint.get("columns") : constraint.path("column"));
            return foreignKey(other, columns, path, what)
                    .filter(key -> pointsAt(key, self, path, what))
                    .map(key -> relationship(array, other, inverse(key.columns())));
        }
        throw new MetadataException("expected 'using' with foreign_key_constraint_on or manual_configuration");
    }

    /** The foreign key on {@code table(columns)}: Hasura's export names one side, the database knows the other. */
    private Optional<ForeignKey> foreignKey(QualifiedName table, List<String> columns, String path, String what) {
        if (columns.isEmpty()) {
            throw new MetadataException("foreign_key_constraint_on names no column");
        }
        String described = table + "(" + String.join(", ", columns) + ")";
        if (foreignKeys == null) {
            unmapped.add(path, what, "foreign_key_constraint_on " + described
                    + " needs the database's foreign keys to find the other side, and the import was given none");
            return Optional.empty();
        }
        Optional<ForeignKey> key;
        try {
            key = foreignKeys.find(source, table, columns).filter(found -> found.columns().keySet().equals(Set.copyOf(columns)));
        } catch (RuntimeException e) {
            unmapped.add(path, what, "the foreign keys of source '" + source.name() + "' could not be read: " + e.getMessage());
            return Optional.empty();
        }
        if (key.isEmpty()) {
            unmapped.add(path, what, "no foreign key on " + described + " in source '" + source.name() + "'");
        }
        return key;
    }

    private boolean pointsAt(ForeignKey key, QualifiedName self, String path, String what) {
        if (key.target().equals(self)) {
            return true;
        }
        unmapped.add(path, what, "the foreign key " + key.constraint() + " references " + key.target() + ", not " + self);
        return false;
    }

    private static Relationship relationship(boolean array, QualifiedName target, Map<String, String> on) {
        return array ? Relationship.array(target.toString(), on) : Relationship.object(target.toString(), on);
    }

    private static Map<String, String> inverse(Map<String, String> columns) {
        Map<String, String> inverse = new LinkedHashMap<>();
        columns.forEach((column, target) -> inverse.put(target, column));
        return inverse;
    }

    /** Hasura's remote relationships; those {@code to_source} (a table of another source) join {@code relationships}. */
    private Map<String, RemoteRelationship> remoteRelationships(JsonNode list, String listPath, Map<String, Relationship> relationships) {
        Map<String, RemoteRelationship> remotes = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode relationship = list.get(i);
            String label = itemName(relationship, i);
            String path = listPath + "[" + label + "]";
            String what = "remote relationship '" + label + "'";
            try {
                String name = requiredText(relationship, "name");
                JsonNode definition = relationship.path("definition");
                if (definition.path("to_source").isObject()) {
                    relationships.put(name, toSource(definition, child(path, "definition"), unmapped));
                } else {
                    remoteRelationship(definition, path, unmapped).ifPresent(r -> remotes.put(name, r));
                }
            } catch (MetadataException e) {
                unmapped.add(path, what, e.getMessage());
            }
            unmapped.rest(relationship, path, Set.of("name", "definition"));
        }
        return remotes;
    }

    /**
     * Hasura v2 writes {@code definition.to_remote_schema.{remote_schema, lhs_fields, remote_field}},
     * v1 {@code definition.{remote_schema, hasura_fields, remote_field}}. The join columns need no
     * mapping: Joinery reads them from the {@code $column} references of the arguments.
     */
    static Optional<RemoteRelationship> remoteRelationship(JsonNode definition, String path, UnmappedCollector unmapped) {
        String definitionPath = child(path, "definition");
        JsonNode target = definition.path("to_remote_schema");
        if (target.isObject()) {
            unmapped.rest(definition, definitionPath, Set.of("to_remote_schema"));
            unmapped.rest(target, child(definitionPath, "to_remote_schema"), Set.of("remote_schema", "lhs_fields", "remote_field"));
        } else {
            target = definition;
            unmapped.rest(definition, definitionPath, Set.of("remote_schema", "hasura_fields", "remote_field"));
        }
        return Optional.of(new RemoteRelationship(requiredText(target, "remote_schema"), remoteFields(target.path("remote_field"))));
    }

    /**
     * Hasura's {@code to_source: {source, table, relationship_type, field_mapping}}: in Joinery an
     * ordinary relationship naming its {@code source} (none for {@code default}); {@code on} is the
     * field mapping, from this side's columns (or a remote type's fields) to the target's columns.
     */
    static Relationship toSource(JsonNode definition, String definitionPath, UnmappedCollector unmapped) {
        JsonNode toSource = definition.path("to_source");
        unmapped.rest(definition, definitionPath, Set.of("to_source"));
        unmapped.rest(toSource, child(definitionPath, "to_source"), Set.of("source", "table", "relationship_type", "field_mapping"));
        String source = text(toSource.path("source"));
        Map<String, String> on = new LinkedHashMap<>();
        toSource.path("field_mapping").properties().forEach(pair -> on.put(pair.getKey(), pair.getValue().asText()));
        String target = tableName(toSource.path("table")).toString();
        boolean array = "array".equals(text(toSource.path("relationship_type")));
        return new Relationship(array ? null : target, array ? target : null, on,
                source == null || io.joinery.admin.metadata.Source.DEFAULT.equals(source) ? null : source);
    }

    private static Map<String, RemoteField> remoteFields(JsonNode fields) {
        if (!fields.isObject()) {
            throw new MetadataException("expected remote_field: {field: {arguments, field}}, got " + fields);
        }
        Map<String, RemoteField> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : fields.properties()) {
            JsonNode nested = field.getValue().path("field");
            result.put(field.getKey(), new RemoteField(SessionVariables.rename(field.getValue().get("arguments")),
                    nested.isObject() ? remoteFields(nested) : null));
        }
        return result;
    }

    /**
     * The {@code select_permissions}, {@code insert_permissions}, {@code update_permissions} and
     * {@code delete_permissions} of a table, by role (in the order the roles first appear). A
     * permission that fails to convert is listed; the role keeps its other operations.
     */
    private Map<String, RolePermissions> permissions(JsonNode table, String tablePath) {
        Map<String, RolePermissions> permissions = new LinkedHashMap<>();
        for (Operation operation : Operation.values()) {
            String key = operation.key() + "_permissions";
            JsonNode list = table.path(key);
            for (int i = 0; i < list.size(); i++) {
                JsonNode entry = list.get(i);
                String label = itemName(entry, i);
                String path = child(tablePath, key) + "[" + label + "]";
                String what = operation.key() + " permission of role '" + label + "'";
                try {
                    String role = requiredText(entry, "role");
                    TablePermission permission = permission(operation, entry.path("permission"), child(path, "permission"), what);
                    permissions.put(role, permissions.getOrDefault(role, new RolePermissions(null)).with(operation, permission));
                } catch (MetadataException e) {
                    unmapped.add(path, what, e.getMessage());
                }
                unmapped.rest(entry, path, Set.of("role", "permission"));
            }
        }
        return permissions;
    }

    private TablePermission permission(Operation operation, JsonNode permission, String path, String what) {
        return switch (operation) {
            case SELECT -> selectPermission(permission, path);
            case INSERT -> insertPermission(permission, path, what);
            case UPDATE -> updatePermission(permission, path, what);
            case DELETE -> deletePermission(permission, path, what);
        };
    }

    private SelectPermission selectPermission(JsonNode permission, String path) {
        for (String key : List.of("query_root_fields", "subscription_root_fields")) {
            rootFieldRestriction(permission.path(key), child(path, key), key.replace('_', ' '));
        }
        unmapped.rest(permission, path, Set.of("columns", "filter", "limit", "allow_aggregations", "computed_fields",
                "query_root_fields", "subscription_root_fields"));
        JsonNode filter = permission.path("filter");
        JsonNode limit = permission.path("limit");
        return new SelectPermission(
                permittedColumns(permission.path("columns")),
                filter.isObject() ? SessionVariables.rename(filter) : JsonNodeFactory.instance.objectNode(),
                limit.isIntegralNumber() ? limit.intValue() : null,
                permission.path("allow_aggregations").booleanValue(),
                permittedColumns(permission.path("computed_fields")));
    }

    private InsertPermission insertPermission(JsonNode permission, String path, String what) {
        inputValidation(permission, path, what);
        unmapped.rest(permission, path, Set.of("check", "columns", "set", "backend_only", "validate_input"));
        return new InsertPermission(expression(permission.path("check")), permittedColumns(permission.path("columns")),
                presets(permission.path("set")), permission.path("backend_only").booleanValue());
    }

    private UpdatePermission updatePermission(JsonNode permission, String path, String what) {
        inputValidation(permission, path, what);
        unmapped.rest(permission, path, Set.of("columns", "filter", "check", "set", "backend_only", "validate_input"));
        return new UpdatePermission(permittedColumns(permission.path("columns")), expression(permission.path("filter")),
                expression(permission.path("check")), presets(permission.path("set")), permission.path("backend_only").booleanValue());
    }

    private DeletePermission deletePermission(JsonNode permission, String path, String what) {
        inputValidation(permission, path, what);
        unmapped.rest(permission, path, Set.of("filter", "backend_only", "validate_input"));
        return new DeletePermission(expression(permission.path("filter")), permission.path("backend_only").booleanValue());
    }

    /** The permission is imported without its webhook, as Joinery has none, so the role may write more than in Hasura. */
    private void inputValidation(JsonNode permission, String path, String what) {
        if (UnmappedCollector.meaningful(permission.path("validate_input"))) {
            unmapped.add(child(path, "validate_input"), "input validation of the " + what,
                    "Joinery calls no input validation webhooks, so the role may write what the webhook would refuse in Hasura");
        }
    }

    /** A column name ({@code "*"} for all) or a list of them. */
    private static List<String> permittedColumns(JsonNode columns) {
        return columns.isMissingNode() || columns.isNull() ? List.of() : strings(columns);
    }

    /** A {@code bool_exp} with Joinery's session variables; null when absent ({@code check: null} is no check). */
    private static JsonNode expression(JsonNode expression) {
        if (expression.isMissingNode() || expression.isNull()) {
            return null;
        }
        if (!expression.isObject()) {
            throw new MetadataException("expected a boolean expression object, got " + expression);
        }
        return SessionVariables.rename(expression);
    }

    /** Column presets: column → a literal or a session variable, renamed to Joinery's. */
    private static Map<String, JsonNode> presets(JsonNode set) {
        if (set.isMissingNode() || set.isNull()) {
            return Map.of();
        }
        if (!set.isObject()) {
            throw new MetadataException("expected set: {column: value}, got " + set);
        }
        Map<String, JsonNode> presets = new LinkedHashMap<>();
        set.properties().forEach(preset -> presets.put(preset.getKey(), SessionVariables.rename(preset.getValue())));
        return presets;
    }

    /** An empty list is a restriction too: no root fields, the table is reachable through relationships only. */
    private void rootFieldRestriction(JsonNode fields, String path, String what) {
        if (fields.isArray()) {
            List<String> names = new ArrayList<>();
            fields.forEach(field -> names.add(field.asText()));
            unmapped.add(path, what + " limited to " + names,
                    "Joinery gives a role that may select a table all of its select root fields, so the role gets more than in Hasura");
        }
    }

    /** Hasura writes a table as {@code name} (schema public) or {@code {schema, name}}. */
    static QualifiedName tableName(JsonNode table) {
        if (table.isTextual()) {
            return new QualifiedName("public", table.textValue());
        }
        if (table.isObject() && table.path("name").isTextual()) {
            JsonNode schema = table.path("schema");
            return new QualifiedName(schema.isTextual() ? schema.textValue() : "public", table.path("name").textValue());
        }
        throw new MetadataException("expected a table name or {schema, name}, got " + table);
    }

    static String text(JsonNode node) {
        return node.isTextual() ? node.textValue() : null;
    }

    static String requiredText(JsonNode node, String key) {
        String text = text(node.path(key));
        if (text == null || text.isEmpty()) {
            throw new MetadataException("'" + key + "' is missing");
        }
        return text;
    }

    /** A column name or a list of them. */
    private static List<String> strings(JsonNode node) {
        if (node.isTextual()) {
            return List.of(node.textValue());
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new MetadataException("expected column names, got " + node);
            }
            strings.add(item.textValue());
        }
        return strings;
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new MetadataException("expected column_mapping: {this_column: target_column}, got " + node);
            }
            map.put(entry.getKey(), entry.getValue().textValue());
        }
        return map;
    }
}
