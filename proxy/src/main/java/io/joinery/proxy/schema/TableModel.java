package io.joinery.proxy.schema;

import com.fasterxml.jackson.databind.JsonNode;
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
 * {@code redactions}: per inherited role, the fields (columns by SQL name, scalar computed fields by name) whose value
 * it sees only in some of the rows it sees, each with the filter of those rows (Note [Redacted cells] in {@link InheritedRoles}).
 */
public record TableModel(String key, String source, QualifiedName name, String typeName, String selectField,
                         String byPkField, String aggregateField, List<ColumnModel> columns, List<String> primaryKey,
                         Map<String, RelationshipModel> relationships, Map<String, SelectPermission> selectPermissions,
                         Map<String, RemoteRelationshipModel> remoteRelationships, Map<String, ComputedFieldModel> computedFields,
                         Descriptions descriptions, Map<String, Map<String, JsonNode>> redactions) {

    public TableModel {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        // Metadata order, so the generated schema (and its introspection) is the same on every start.
        relationships = Collections.unmodifiableMap(new LinkedHashMap<>(relationships));
        selectPermissions = Map.copyOf(selectPermissions);
        remoteRelationships = Collections.unmodifiableMap(new LinkedHashMap<>(remoteRelationships));
        computedFields = Collections.unmodifiableMap(new LinkedHashMap<>(computedFields));
        redactions = Map.copyOf(redactions);
    }

    /** A table whose roles see each field they may see in every row they see. */
    public TableModel(String key, String source, QualifiedName name, String typeName, String selectField,
                      String byPkField, String aggregateField, List<ColumnModel> columns, List<String> primaryKey,
                      Map<String, RelationshipModel> relationships, Map<String, SelectPermission> selectPermissions,
                      Map<String, RemoteRelationshipModel> remoteRelationships, Map<String, ComputedFieldModel> computedFields,
                      Descriptions descriptions) {
        this(key, source, name, typeName, selectField, byPkField, aggregateField, columns, primaryKey, relationships,
                selectPermissions, remoteRelationships, computedFields, descriptions, Map.of());
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
                relationships, selectPermissions, remoteRelationships, computed, descriptions, redactions);
    }

    /** This table with {@code permissions} as its select permissions by role (inherited roles' included), and their {@code redacted} cells. */
    public TableModel withSelectPermissions(Map<String, SelectPermission> permissions, Map<String, Map<String, JsonNode>> redacted) {
        return new TableModel(key, source, name, typeName, selectField, byPkField, aggregateField, columns, primaryKey,
                relationships, permissions, remoteRelationships, computedFields, descriptions, redacted);
    }

    /** This table with {@code replaced} as its columns (typed by the enums they reference, say). */
    public TableModel withColumns(List<ColumnModel> replaced) {
        return new TableModel(key, source, name, typeName, selectField, byPkField, aggregateField, replaced, primaryKey,
                relationships, selectPermissions, remoteRelationships, computedFields, descriptions, redactions);
    }

    public Optional<ColumnModel> columnByGraphqlName(String field) {
        return columns.stream().filter(c -> c.graphqlName().equals(field)).findFirst();
    }

    public Optional<ColumnModel> column(String sqlName) {
        return columns.stream().filter(c -> c.column().equals(sqlName)).findFirst();
    }
}
