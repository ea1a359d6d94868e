package io.joinery.proxy.schema;

import io.joinery.admin.metadata.DeletePermission;
import io.joinery.admin.metadata.InsertPermission;
import io.joinery.admin.metadata.SelectPermission;
import io.joinery.admin.metadata.UpdatePermission;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one role sees of a {@link SchemaModel}: the admin sees everything; any other role sees the
 * tables it has a select permission on, their permitted columns, relationships to tables it can
 * also see, and aggregates where allowed. A field a role may not see is absent from its schema,
 * so asking for it is a validation error, as in Hasura.
 */
public record RoleAccess(String role, SchemaModel model, boolean backend) {

    /** What the role's clients see: its permissions but the {@code backend_only} ones. */
    public RoleAccess(String role, SchemaModel model) {
        this(role, model, false);
    }

    /**
     * The header that asks for a role's {@code backend_only} permissions as well (Hasura's
     * {@code x-hasura-use-backend-only-permissions}, read as this name under the migration aid):
     * honoured only for a caller with the admin secret (Note [Backend-only permissions]).
     */
    public static final String BACKEND_ONLY_HEADER = "x-joinery-use-backend-only-permissions";

    /**
     * Note [Backend-only permissions]: as in Hasura, an insert, update or delete permission marked
     * {@code backend_only} gives its root fields only to requests that present the admin secret
     * and {@code x-joinery-use-backend-only-permissions: true} (with the role in
     * {@code x-joinery-role}): such a request gets the role's schema with them ({@code backend});
     * any other request of the role gets the schema without them, so for it they do not exist (a
     * validation error). Permissions that are not {@code backend_only} serve both.
     */
    public static boolean backendRequest(io.joinery.policies.Session session) {
        return session.isAdmin() && "true".equalsIgnoreCase(session.variable(BACKEND_ONLY_HEADER));
    }

    public static final String ADMIN = "admin";
    /** The name under which every role the metadata does not know is served (Note [Unknown roles] in {@code EngineState}). */
    public static final String UNKNOWN = "(unknown role)";

    /**
     * What a role the metadata does not know sees: what a role without any permission sees (no
     * table, no function, no remote schema).
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

    /**
     * The fields of {@code table} (columns by SQL name, scalar computed fields by name) whose value the role sees only
     * in some of its rows, each with the permission filter of those rows; none for the admin and roles that are not
     * inherited (Note [Redacted cells] in {@link InheritedRoles}).
     */
    public java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> redactions(TableModel table) {
        return admin() ? java.util.Map.of() : table.redactions().getOrDefault(role, java.util.Map.of());
    }

    public List<RelationshipModel> relationships(TableModel table) {
        return table.relationships().values().stream().filter(r -> visible(model.table(r.target()))).toList();
    }

    /** Remote relationships whose key columns the role may see and whose target field it may reach. */
    public List<RemoteRelationshipModel> remoteRelationships(TableModel table) {
        List<String> visible = new ArrayList<>(columns(table).stream().map(ColumnModel::column).toList());
        computedFields(table).forEach(computed -> visible.add(computed.name()));   // keys may be computed fields
        return table.remoteRelationships().values().stream().filter(r -> visible.containsAll(r.keyColumns())).filter(this::reaches).toList();
    }

    /**
     * The remote schemas merged into the role's schema: all of each for the admin; for another
     * role, the part its permission gives of each remote it has one for (Note [Remote schema
     * permissions] in {@code remote.RemotePermission}), or all of each when permissions are off.
     */
    public java.util.Collection<io.joinery.proxy.remote.RemoteSchema> remotes() {
        if (admin()) {
            return model.remotes().values();
        }
        return model.remotes().values().stream().flatMap(remote -> remote.forRole(role).stream()).toList();
    }

    /** The role's permission on a remote schema: its presets; empty for the admin, who sends what it asks. */
    public Optional<io.joinery.proxy.remote.RemotePermission> remotePermission(String remote) {
        io.joinery.proxy.remote.RemoteSchema schema = model.remotes().get(remote);
        return admin() || schema == null ? Optional.empty() : Optional.ofNullable(schema.permissions().get(role));
    }

    /**
     * Whether the role sees each of {@code fields} of the remote's type {@code typeName} (the
     * remote's own name): a relationship of a remote type joins only on key fields the role may read.
     */
    public boolean seesFields(String remote, String typeName, java.util.Collection<String> fields) {
        if (admin()) {
            return true;
        }
        io.joinery.proxy.remote.RemoteSchema schema = model.remotes().get(remote);
        Optional<io.joinery.proxy.remote.RemoteSchema> view = schema == null ? Optional.empty() : schema.forRole(role);
        return view.isPresent() && view.get().schema().getType(typeName) instanceof graphql.schema.GraphQLFieldsContainer type
                && fields.stream().allMatch(field -> type.getFieldDefinition(field) != null);
    }

    /**
     * Whether the role may reach a remote relationship's target field: each field of its path is
     * in the role's part of the target remote, and the path sets no argument the role's permission
     * presets (the join would send another value than the role may). A relationship it cannot
     * reach is not in its schema; so is one whose path sets an argument that may hold an input object with preset fields.
     */
    public boolean reaches(RemoteRelationshipModel relationship) {
        if (admin()) {
            return true;
        }
        io.joinery.proxy.remote.RemoteSchema remote = model.remotes().get(relationship.remote());
        Optional<io.joinery.proxy.remote.RemoteSchema> view = remote == null ? Optional.empty() : remote.forRole(role);
        if (view.isEmpty()) {
            return false;
        }
        io.joinery.proxy.remote.RemotePermission permission = view.get().permissions().get(role);   // none: the remote is for every role
        graphql.schema.GraphQLType type = view.get().schema().getQueryType();
        for (RemotePathStep step : relationship.path()) {
            if (step.form() instanceof JoinForm.Entities entities) {
                // Federation's _entities is plumbing no role sees: the role must see the entity type and its key fields.
                if (!seesFields(relationship.remote(), entities.typename(), entities.keyFields())) {
                    return false;
                }
                type = view.get().schema().getType(entities.typename());
                continue;
            }
            if (!(type instanceof graphql.schema.GraphQLFieldsContainer container) || container.getFieldDefinition(step.field()) == null) {
                return false;
            }
            var definition = container.getFieldDefinition(step.field());
            if (permission != null && step.arguments() != null && reachesPresets(permission, view.get(), container, definition, step)) {
                return false;
            }
            type = graphql.schema.GraphQLTypeUtil.unwrapAll(container.getFieldDefinition(step.field()).getType());
        }
        return true;
    }

    /** Whether a step of a join's path sets an argument the role's permission presets, or one that may hold an input object with preset fields. */
    private static boolean reachesPresets(io.joinery.proxy.remote.RemotePermission permission, io.joinery.proxy.remote.RemoteSchema view,
                                          graphql.schema.GraphQLFieldsContainer container, graphql.schema.GraphQLFieldDefinition definition,
                                          RemotePathStep step) {
        var presets = permission.presets(container.getName(), step.field());
        return step.arguments().propertyStream().anyMatch(argument -> presets.containsKey(argument.getKey())
                    || (definition.getArgument(argument.getKey()) != null
                        && permission.reachesInputPresets(definition.getArgument(argument.getKey()).getType(), view.schema())));
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

    /** The actions the role may see and call: those whose {@code roles} name it; every action for the admin. */
    public List<ActionModel> actions() {
        return model.actions().all().stream().filter(action -> action.allows(role)).toList();
    }

    /** The tracked functions whose table the role may select (Hasura's inferred function permissions). */
    public List<ComputedFieldModel> functions() {
        return model.functions().stream().filter(function -> visible(model.table(function.target()))).toList();
    }

        public boolean aggregations(TableModel table) {
        return admin() || permission(table).map(SelectPermission::allowAggregations).orElse(false);
    }

    // ---- mutations (Note [Who may mutate] in MutationFields)

    /** The table's mutations, if it offers any (a view offers none). */
    public Optional<TableWrites> writes(TableModel table) {
        return model.writes(table);
    }

    /**
     * The role's insert permission; the admin's inserts every column unchecked. A {@code backend_only}
     * permission only for a {@code backend} request (Note [Backend-only permissions]).
     */
    public Optional<InsertPermission> insert(TableModel table) {
        if (admin()) {
            return writes(table).map(w -> new InsertPermission(null, List.of("*"), java.util.Map.of(), false));
        }
        return writes(table).map(w -> w.inserts().get(role)).filter(p -> backend || !p.backendOnly());
    }

    /** The role's update permission, for a table it may also select (its {@code where} reads columns). */
    public Optional<UpdatePermission> update(TableModel table) {
        if (admin()) {
            return writes(table).map(w -> new UpdatePermission(List.of("*"), null, null, java.util.Map.of()));
        }
        return writes(table).filter(w -> visible(table)).map(w -> w.updates().get(role)).filter(p -> backend || !p.backendOnly());
    }

    /** The role's delete permission, for a table it may also select. */
    public Optional<DeletePermission> delete(TableModel table) {
        if (admin()) {
            return writes(table).map(w -> new DeletePermission(null));
        }
        return writes(table).filter(w -> visible(table)).map(w -> w.deletes().get(role)).filter(p -> backend || !p.backendOnly());
    }

    /**
     * The relationships of {@code table} the role may insert through (Note [Nested inserts] in
     * {@code compile.MutationCompiler}): those to a table it may insert into.
     */
    public List<RelationshipModel> insertRelationships(TableModel table) {
        return table.relationships().values().stream().filter(r -> insert(model.table(r.target())).isPresent()).toList();
    }

    /** The relationship {@code name} of {@code table}, if the role may insert through it. */
    public Optional<RelationshipModel> insertRelationship(TableModel table, String name) {
        RelationshipModel relationship = table.relationships().get(name);
        return relationship != null && insert(model.table(relationship.target())).isPresent() ? Optional.of(relationship) : Optional.empty();
    }

    /** The columns the role may give an inserted row: those its permission lists, less its presets. */
    public List<ColumnModel> insertColumns(TableModel table) {
        return insert(table).map(p -> allowed(table, p.columns(), p.set().keySet())).orElse(List.of());
    }

    /** The columns the role may change: those its permission lists, less its presets. */
    public List<ColumnModel> updateColumns(TableModel table) {
        return update(table).map(p -> allowed(table, p.columns(), p.set().keySet())).orElse(List.of());
    }

    private static List<ColumnModel> allowed(TableModel table, List<String> columns, java.util.Set<String> presets) {
        return table.columns().stream()
                .filter(c -> columns.contains("*") || columns.contains(c.column()))
                .filter(c -> !presets.contains(c.column()))
                .toList();
    }
}
