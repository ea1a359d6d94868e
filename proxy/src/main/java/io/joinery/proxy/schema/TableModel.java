package io.joinery.proxy.schema;

import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.SelectPermission;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tracked table with everything schema generation and compilation need: GraphQL type name,
 * root field names, columns, primary key, relationships (by GraphQL name) and select permissions
 * per role, remote relationships, computed fields, descriptions. {@code key} identifies it inside the model ({@code source/schema.table}).
 */
public record TableModel(String key, String source, QualifiedName name, String typeName, String selectField,
                         String byPkField, String aggregateField, List<ColumnModel> columns, List<String> primaryKey,
                         Map<String, RelationshipModel> relationships, Map<String, SelectPermission> selectPermissions,
                         Map<String, RemoteRelationshipModel> remoteRelationships, Map<String, ComputedFieldModel> computedFields,
                         Descriptions descriptions) {

    public TableModel {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        // Metadata order, so the generated schema (and its introspection) is the same on every start.
        relationships = Collections.unmodifiableMap(new LinkedHashMap<>(relationships));
        selectPermissions = Map.copyOf(selectPermissions);
        remoteRelationships = Collections.unmodifiableMap(new LinkedHashMap<>(remoteRelationships));
        computedFields = Collections.unmodifiableMap(new LinkedHashMap<>(computedFields));
    }

    /** A table without descriptions of its own. */
    public TableModel(String key, String source, QualifiedName name, String typeName, String selectField,
                      String byPkField, String aggregateField, List<ColumnModel> columns, List<String> primaryKey,
                      Map<String, RelationshipModel> relationships, Map<String, SelectPermission> selectPermissions,
                      Map<String, RemoteRelationshipModel> remoteRelationships, Map<String, ComputedFieldModel> computedFields) {
        this(key, source, name, typeName, selectField, byPkField, aggregateField, columns, primaryKey, relationships,
                selectPermissions, remoteRelationships, computedFields, Descriptions.NONE);
    }

    /** A table without computed fields. */
    public TableModel(String key, String source, QualifiedName name, String typeName, String selectField,
                      String byPkField, String aggregateField, List<ColumnModel> columns, List<String> primaryKey,
                      Map<String, RelationshipModel> relationships, Map<String, SelectPermission> selectPermissions,
                      Map<String, RemoteRelationshipModel> remoteRelationships) {
        this(key, source, name, typeName, selectField, byPkField, aggregateField, columns, primaryKey, relationships,
                selectPermissions, remoteRelationships, Map.of());
    }

    /** This table with {@code computed} as its computed fields. */
    public TableModel withComputedFields(Map<String, ComputedFieldModel> computed) {
        return new TableModel(key, source, name, typeName, selectField, byPkField, aggregateField, columns, primaryKey,
                relationships, selectPermissions, remoteRelationships, computed, descriptions);
    }

    /** This table with {@code replaced} as its columns (typed by the enums they reference, say). */
    public TableModel withColumns(List<ColumnModel> replaced) {
        return new TableModel(key, source, name, typeName, selectField, byPkField, aggregateField, replaced, primaryKey,
                relationships, selectPermissions, remoteRelationships, computedFields, descriptions);
    }

    public Optional<ColumnModel> columnByGraphqlName(String field) {
        return columns.stream().filter(c -> c.graphqlName().equals(field)).findFirst();
    }

    public Optional<ColumnModel> column(String sqlName) {
        return columns.stream().filter(c -> c.column().equals(sqlName)).findFirst();
    }
}
