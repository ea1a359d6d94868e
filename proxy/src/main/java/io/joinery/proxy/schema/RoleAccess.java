package io.joinery.proxy.schema;

import io.joinery.admin.metadata.SelectPermission;

import java.util.List;
import java.util.Optional;

/**
 * What one role sees of a {@link SchemaModel}: the admin sees everything; any other role sees the
 * tables it has a select permission on, their permitted columns, relationships to tables it can
 * also see, and aggregates where allowed. A field a role may not see is absent from its schema,
 * so asking for it is a validation error, as in Hasura.
 */
public record RoleAccess(String role, SchemaModel model) {

    public static final String ADMIN = "admin";
    /** The name under which every role the metadata does not know is served (Note [Unknown roles] in {@code EngineState}). */
    public static final String UNKNOWN = "(unknown role)";

    /**
     * What a role the metadata does not know sees: what a role without any permission sees (no
     * table, no function; the remote schemas, which every role sees until remote schema
     * permissions exist).
     */
    public static RoleAccess unknown(SchemaModel model) {
        return new RoleAccess(UNKNOWN, model);
    }

    public boolean admin() {
        return ADMIN.equals(role);
    }

    public Optional<SelectPermission> permission(TableModel table) {
        return admin() ? Optional.empty() : Optional.ofNullable(table.selectPermissions().get(role));
    }

    public boolean visible(TableModel table) {
        return admin() || table.selectPermissions().containsKey(role);
    }

    public List<TableModel> tables() {
        return model.allTables().stream().filter(this::visible).toList();
    }

    public List<ColumnModel> columns(TableModel table) {
        if (admin()) {
            return table.columns();
        }
        SelectPermission permission = table.selectPermissions().get(role);
        return permission == null ? List.of() : table.columns().stream().filter(c -> permission.allowsColumn(c.column())).toList();
    }

    public List<RelationshipModel> relationships(TableModel table) {
        return table.relationships().values().stream().filter(r -> visible(model.table(r.target()))).toList();
    }

    /** Remote relationships whose key columns the role may see. */
    public List<RemoteRelationshipModel> remoteRelationships(TableModel table) {
        List<String> visible = columns(table).stream().map(ColumnModel::column).toList();
        return table.remoteRelationships().values().stream().filter(r -> visible.containsAll(r.keyColumns())).toList();
    }

    /** The remote schemas merged into the role's schema (every role sees them, as in Hasura without remote schema permissions). */
    public java.util.Collection<io.joinery.proxy.remote.RemoteSchema> remotes() {
        return model.remotes().values();
    }

    /**
     * The scalar computed fields the role's select permission lists ({@code computed_fields}; all for the
     * admin), and those returning rows of a table the role sees: as in Hasura, the target table's permission
     * governs those, and {@code computed_fields} lists only scalar ones.
     */
    public List<ComputedFieldModel> computedFields(TableModel table) {
        SelectPermission permission = admin() ? null : table.selectPermissions().get(role);
        if (!admin() && permission == null) {
            return List.of();
        }
        return table.computedFields().values().stream()
                .filter(field -> admin() || field.returnsRows() || permission.computedFields().contains(field.name()))
                .filter(field -> !field.returnsRows() || visible(model.table(field.target())))
                .toList();
    }

    /** The tracked functions whose table the role may select (Hasura's inferred function permissions). */
    public List<ComputedFieldModel> functions() {
        return model.functions().stream().filter(function -> visible(model.table(function.target()))).toList();
    }

        public boolean aggregations(TableModel table) {
        return admin() || permission(table).map(SelectPermission::allowAggregations).orElse(false);
    }
}
