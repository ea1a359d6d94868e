package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tracked table. {@code name} overrides the GraphQL type name and the base of its root fields
 * (default: the table name, prefixed {@code schema_} outside {@code public}, as Hasura does);
 * {@code rootFields} renames single root fields; {@code columns} renames columns.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record TableConfig(
        @JsonProperty("table") String table,
        @JsonProperty("name") String name,
        @JsonProperty("root_fields") @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = RootFieldNames.NoneFilter.class)
        RootFieldNames rootFields,
        @JsonProperty("columns") Map<String, String> columns,
        @JsonProperty("relationships") Map<String, Relationship> relationships,
        @JsonProperty("permissions") Map<String, RolePermissions> permissions,
        @JsonProperty("remote_relationships") Map<String, RemoteRelationship> remoteRelationships) {

    @com.fasterxml.jackson.annotation.JsonCreator
    public TableConfig {
        QualifiedName.parse(table);
        rootFields = rootFields == null ? RootFieldNames.NONE : rootFields;
        columns = columns == null ? Map.of() : unmodifiable(columns);
        relationships = relationships == null ? Map.of() : unmodifiable(relationships);
        permissions = permissions == null ? Map.of() : unmodifiable(permissions);
        remoteRelationships = remoteRelationships == null ? Map.of() : unmodifiable(remoteRelationships);
    }

    public TableConfig(String table, String name, RootFieldNames rootFields, Map<String, String> columns,
                       Map<String, Relationship> relationships, Map<String, RolePermissions> permissions) {
        this(table, name, rootFields, columns, relationships, permissions, Map.of());
    }

    public static TableConfig of(String table) {
        return new TableConfig(table, null, null, null, null, null, null);
    }

    @JsonIgnore
    public QualifiedName qualifiedName() {
        return QualifiedName.parse(table);
    }

    private static <V> Map<String, V> unmodifiable(Map<String, V> map) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
