package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tracked table. {@code name} overrides the GraphQL type name and the base of its root fields
 * (default: the table name, prefixed {@code schema_} outside {@code public}, as Hasura does);
 * {@code rootFields} renames single root fields; {@code columns} renames columns. {@code isEnum}
 * makes it an enum table, as Hasura's {@code is_enum}: its rows become the values of the GraphQL
 * enum {@code <name>_enum}, which the columns referencing its key take instead of {@code String}.
 * {@code computedFields} are Hasura's computed fields: SQL functions of the row, by field name.
 * {@code comment} and {@code columnComments} (by column) are the descriptions of the GraphQL type and
 * its column fields, over the database's comments; {@code rootFieldComments} (by Hasura's root field keys:
 * {@code select}, {@code select_by_pk}, …, {@code delete_by_pk}) those of its root fields, over Hasura's
 * defaults; an empty one means no description.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"table", "name", "is_enum"})
public record TableConfig(
        @JsonProperty("table") String table,
        @JsonProperty("name") String name,
        @JsonProperty("root_fields") @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = RootFieldNames.NoneFilter.class)
        RootFieldNames rootFields,
        @JsonProperty("columns") Map<String, String> columns,
        @JsonProperty("relationships") Map<String, Relationship> relationships,
        @JsonProperty("permissions") Map<String, RolePermissions> permissions,
        @JsonProperty("remote_relationships") Map<String, RemoteRelationship> remoteRelationships,
        @JsonProperty("is_enum") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean isEnum,
        @JsonProperty("computed_fields") Map<String, ComputedField> computedFields,
        @JsonProperty("comment") @JsonInclude(JsonInclude.Include.NON_NULL) String comment,
        @JsonProperty("column_comments") Map<String, String> columnComments,
        @JsonProperty("root_field_comments") Map<String, String> rootFieldComments) {

    @com.fasterxml.jackson.annotation.JsonCreator
    public TableConfig {
        QualifiedName.parse(table);
        rootFields = rootFields == null ? RootFieldNames.NONE : rootFields;
        columns = columns == null ? Map.of() : unmodifiable(columns);
        relationships = relationships == null ? Map.of() : unmodifiable(relationships);
        permissions = permissions == null ? Map.of() : unmodifiable(permissions);
        remoteRelationships = remoteRelationships == null ? Map.of() : unmodifiable(remoteRelationships);
        computedFields = computedFields == null ? Map.of() : unmodifiable(computedFields);
        columnComments = columnComments == null ? Map.of() : unmodifiable(columnComments);
        rootFieldComments = rootFieldComments == null ? Map.of() : unmodifiable(rootFieldComments);
        for (String key : rootFieldComments.keySet()) {
            if (!ROOT_FIELD_KEYS.contains(key)) {
                throw new IllegalArgumentException("root_field_comments: '" + key + "' is not a root field; one of " + ROOT_FIELD_KEYS);
            }
        }
    }

    /** The keys of {@code root_fields} and {@code root_field_comments}, Hasura's. */
    public static final java.util.List<String> ROOT_FIELD_KEYS = java.util.List.of("select", "select_by_pk", "select_aggregate",
            "insert", "insert_one", "update", "update_by_pk", "update_many", "delete", "delete_by_pk");

    public TableConfig(String table, String name, RootFieldNames rootFields, Map<String, String> columns,
                       Map<String, Relationship> relationships, Map<String, RolePermissions> permissions,
                       Map<String, RemoteRelationship> remoteRelationships, boolean isEnum, Map<String, ComputedField> computedFields) {
        this(table, name, rootFields, columns, relationships, permissions, remoteRelationships, isEnum, computedFields, null, Map.of(),
                Map.of());
    }

    public TableConfig(String table, String name, RootFieldNames rootFields, Map<String, String> columns,
                       Map<String, Relationship> relationships, Map<String, RolePermissions> permissions,
                       Map<String, RemoteRelationship> remoteRelationships, boolean isEnum) {
        this(table, name, rootFields, columns, relationships, permissions, remoteRelationships, isEnum, Map.of());
    }

    /** This table with {@code computed} as its computed fields. */
    public TableConfig withComputedFields(Map<String, ComputedField> computed) {
        return new TableConfig(table, name, rootFields, columns, relationships, permissions, remoteRelationships, isEnum, computed,
                comment, columnComments, rootFieldComments);
    }

    public TableConfig(String table, String name, RootFieldNames rootFields, Map<String, String> columns,
                       Map<String, Relationship> relationships, Map<String, RolePermissions> permissions,
                       Map<String, RemoteRelationship> remoteRelationships) {
        this(table, name, rootFields, columns, relationships, permissions, remoteRelationships, false);
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

    /** The GraphQL type name: {@code name}, or the table's ({@code schema_table} outside public). */
    @JsonIgnore
    public String typeName() {
        QualifiedName qualified = qualifiedName();
        return name != null ? name : "public".equals(qualified.schema()) ? qualified.name() : qualified.schema() + "_" + qualified.name();
    }

    /** Its query root fields: select, select by primary key, aggregate (renamed or derived from {@link #typeName()}). */
    @JsonIgnore
    public java.util.List<String> rootFieldNames() {
        String type = typeName();
        return java.util.List.of(rootFields.select() != null ? rootFields.select() : type,
                rootFields.selectByPk() != null ? rootFields.selectByPk() : type + "_by_pk",
                rootFields.selectAggregate() != null ? rootFields.selectAggregate() : type + "_aggregate");
    }

    private static <V> Map<String, V> unmodifiable(Map<String, V> map) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
