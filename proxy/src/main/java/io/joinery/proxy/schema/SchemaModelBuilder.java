package io.joinery.proxy.schema;

import io.joinery.admin.catalog.ColumnInfo;
import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.catalog.ForeignKey;
import io.joinery.admin.catalog.TableInfo;
import io.joinery.admin.check.EnumTableCheck;
import io.joinery.admin.check.MetadataObject.TableRef;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.RolePermissions;
import io.joinery.admin.metadata.SelectPermission;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.proxy.remote.RemoteSchema;
import io.joinery.proxy.schema.SchemaProblem.Kind;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Resolves metadata against catalogs into a {@link SchemaModel}. Anything that does not resolve (a
 * missing table or column, an invalid or colliding GraphQL name, a relationship to an untracked
 * table) is left out and reported; everything else is kept.
 */
public final class SchemaModelBuilder {

    private static final Pattern GRAPHQL_NAME = Pattern.compile("[_A-Za-z][_0-9A-Za-z]*");

    private final List<SchemaProblem> problems = new ArrayList<>();
    private final Set<String> rootNames = new HashSet<>();
    private final Set<String> typeNames = new HashSet<>();

    /** Whether a role other than admin sees a remote only through its permission (Note [Remote schema permissions] in {@code remote.RemotePermission}). */
    private final boolean remoteSchemaPermissions;

    private SchemaModelBuilder(boolean remoteSchemaPermissions) {
        this.remoteSchemaPermissions = remoteSchemaPermissions;
    }

    public static SchemaModel build(Metadata metadata, Map<String, DatabaseCatalog> catalogs) {
        return build(metadata, catalogs, Map.of());
    }

    /**
     * @param remotes the remote schemas of the metadata that answered introspection, by name; the
     *                others are reported and what depends on them is left out
     */
    public static SchemaModel build(Metadata metadata, Map<String, DatabaseCatalog> catalogs, Map<String, RemoteSchema> remotes) {
        return build(metadata, catalogs, remotes, true);
    }

    /**
     * @param remoteSchemaPermissions false: every role uses every remote whole, as the admin does but for the
     *                                tables' permissions ({@code JOINERY_ENABLE_REMOTE_SCHEMA_PERMISSIONS=false},
     *                                Hasura's default); the metadata's remote schema permissions are not applied
     */
    public static SchemaModel build(Metadata metadata, Map<String, DatabaseCatalog> catalogs, Map<String, RemoteSchema> remotes,
                                    boolean remoteSchemaPermissions) {
        return new SchemaModelBuilder(remoteSchemaPermissions).resolve(metadata, catalogs, remotes);
    }

    private void problem(Kind kind, String message) {
        problems.add(new SchemaProblem(kind, message));
    }

    /**
     * Why a function or computed field is left out: a name it would generate is the engine's own
     * problem; the rest (the SQL function itself) the admin checks report. Note [Problem kinds].
     */
    private static Kind kindOf(IllegalArgumentException e) {
        return e instanceof NameException ? Kind.GENERATED_NAME : Kind.REPORTED_ELSEWHERE;
    }

    /** A function or computed field left out for a GraphQL name it would generate. */
    private static final class NameException extends IllegalArgumentException {
        NameException(String message) {
            super(message);
        }
    }

    public static boolean validName(String name) {
        return name != null && GRAPHQL_NAME.matcher(name).matches() && !name.startsWith("__");
    }

    public static String key(String source, QualifiedName table) {
        return source + "/" + table.schema() + "." + table.name();
    }

    private SchemaModel resolve(Metadata metadata, Map<String, DatabaseCatalog> catalogs, Map<String, RemoteSchema> remotes) {
        Map<String, TableModel> tables = new LinkedHashMap<>();
        Map<String, TableWrites> writes = new LinkedHashMap<>();
        Set<String> mutationRoots = new HashSet<>();
        for (var remote : metadata.remoteSchemas()) {
            if (!remotes.containsKey(remote.name())) {
                problem(Kind.REPORTED_ELSEWHERE, "remote schema '" + remote.name() + "' is unavailable; its fields and the relationships to it are left out");
            }
        }
        Map<String, Map<QualifiedName, TableModel>> bySource = new LinkedHashMap<>();
        for (Source source : metadata.sources()) {
            DatabaseCatalog catalog = catalogs.get(source.name());
            if (catalog == null) {
                problem(Kind.REPORTED_ELSEWHERE, "source '" + source.name() + "' is unreachable; its tables are left out");
                continue;
            }
            Map<QualifiedName, TableModel> resolved = new LinkedHashMap<>();
            for (TableConfig config : source.tables()) {
                TableInfo info = catalog.table(config.qualifiedName()).orElse(null);
                if (info == null) {
                    problem(Kind.REPORTED_ELSEWHERE, "table " + config.qualifiedName() + " of source '" + source.name() + "' does not exist");
                    continue;
                }
                TableModel table = table(source.name(), config, info);
                if (table != null) {
                    resolved.put(config.qualifiedName(), table);
                }
            }
            withEnumColumns(resolved, enumTypes(source, catalog, resolved), catalog);
            bySource.put(source.name(), resolved);
        }
        for (Source source : metadata.sources()) {
            Map<QualifiedName, TableModel> resolved = bySource.get(source.name());
            if (resolved == null) {
                continue;
            }
            for (TableModel table : resolved.values()) {
                TableConfig config = source.table(table.name()).orElseThrow();
                TableModel withRelationships = withRelationships(table, config, source, catalogs.get(source.name()), resolved, bySource);
                // computed fields first: a remote relationship's keys may be scalar computed fields (Hasura's hasura_fields)
                TableModel withComputedOnly = withComputedFields(withRelationships, config, catalogs.get(source.name()), resolved);
                TableModel withComputed = withRemoteRelationships(withComputedOnly, config, remotes);
                tables.put(withComputed.key(), withComputed);
                TableInfo info = catalogs.get(source.name()).table(table.name()).orElseThrow();
                if (!info.view()) {
                    TableWrites tableWrites = TableWrites.of(withComputed, config, info.uniqueKeys());
                    String taken = tableWrites.rootFields().stream().filter(root -> !mutationRoots.add(root)).findFirst().orElse(null);
                    if (taken == null) {
                        writes.put(withComputed.key(), tableWrites);
                    } else {
                        problem(Kind.GENERATED_NAME, "table " + table.name() + ": mutation root field '" + taken
                                + "' is already used by another table; its mutations are left out");
                    }
                }
            }
        }
        List<io.joinery.admin.metadata.InheritedRole> inherited = InheritedRoles.ordered(metadata.inheritedRoles());
        if (!inherited.isEmpty()) {
            tables.replaceAll((key, table) -> {
                InheritedRoles.Selects selects = InheritedRoles.select(inherited, table);
                return table.withSelectPermissions(selects.permissions(), selects.redactions());
            });
            writes.replaceAll((key, tableWrites) -> InheritedRoles.writes(inherited, tables.get(key), tableWrites,
                    message -> problem(Kind.INHERITED_ROLE, message)));
        }
        Map<String, RemoteSchema> usable = withPermissions(metadata, usableRemotes(remotes, tables, mutationRoots));
        List<ComputedFieldModel> functions = functions(metadata, catalogs, bySource);
        return new SchemaModel(tables, usable, remoteTypeRelationships(metadata, usable, tables),
                remoteTypeRemoteRelationships(metadata, usable), problems, functions, writes);
    }

    /**
     * The tracked functions whose SQL functions resolve (the rules of
     * {@code io.joinery.admin.check.FunctionCheck}) and whose root fields are free; the others are
     * reported and left out.
     */
    private List<ComputedFieldModel> functions(Metadata metadata, Map<String, DatabaseCatalog> catalogs,
                                               Map<String, Map<QualifiedName, TableModel>> bySource) {
        List<ComputedFieldModel> functions = new ArrayList<>();
        for (Source source : metadata.sources()) {
            Map<QualifiedName, TableModel> tracked = bySource.get(source.name());
            if (tracked == null) {
                continue;
            }
            for (io.joinery.admin.metadata.TrackedFunction definition : source.functions()) {
                try {
                    functions.add(trackedFunction(definition, catalogs.get(source.name()), tracked));
                } catch (IllegalArgumentException e) {
                    problem(kindOf(e), "function " + definition.functionName() + " of source '" + source.name() + "': " + e.getMessage() + "; left out");
                }
            }
        }
        return functions;
    }

    private ComputedFieldModel trackedFunction(io.joinery.admin.metadata.TrackedFunction definition, DatabaseCatalog catalog,
                                               Map<QualifiedName, TableModel> tracked) {
        String name = definition.rootField();
        if (!validName(name)) {
            throw new IllegalArgumentException("root field '" + name + "' is not a valid name");
        }
        QualifiedName functionName = definition.functionName();
        List<io.joinery.admin.catalog.FunctionInfo> found = catalog.functions(functionName);
        if (found.size() != 1 || !found.getFirst().stableOrImmutable()) {
            throw new IllegalArgumentException("it does not exist once as a STABLE or IMMUTABLE function");
        }
        io.joinery.admin.catalog.FunctionInfo function = found.getFirst();
        TableModel target = function.returnsSet() && function.returnsRow() ? tracked.get(function.returnType()) : null;
        if (target == null) {
            throw new IllegalArgumentException("it does not return SETOF a tracked table of its source");
        }
        List<ComputedFieldModel.Argument> arguments = new ArrayList<>();
        for (io.joinery.admin.catalog.FunctionInfo.Argument argument : function.arguments()) {
            ColumnModel value = argumentValue(argument);
            boolean session = definition.sessionArgument() != null && definition.sessionArgument().equals(argument.name());
            if (session && !value.kind().json()) {
                throw new IllegalArgumentException("session argument " + argument.name() + " is not json or jsonb");
            }
            arguments.add(new ComputedFieldModel.Argument(argument.name(),
                    session ? ComputedFieldModel.ArgumentKind.SESSION : ComputedFieldModel.ArgumentKind.INPUT, value, argument.hasDefault()));
        }
        if (definition.sessionArgument() != null && arguments.stream().noneMatch(a -> a.kind() == ComputedFieldModel.ArgumentKind.SESSION)) {
            throw new IllegalArgumentException("it has no argument " + definition.sessionArgument());
        }
        for (String root : List.of(name, name + "_aggregate")) {
            if (rootNames.contains(root)) {
                throw new IllegalArgumentException("root field '" + root + "' is taken by a table or another function");
            }
        }
        rootNames.addAll(List.of(name, name + "_aggregate"));
        return new ComputedFieldModel(name, functionName, null, arguments, null, target.key(), name + "_args", null);
    }

    /** Fields that remote schemas' types get from tables ({@code Profile.author}), checked against both sides. */
    private Map<String, List<RemoteTypeRelationship>> remoteTypeRelationships(Metadata metadata, Map<String, RemoteSchema> remotes,
                                                                              Map<String, TableModel> tables) {
        Map<String, List<RemoteTypeRelationship>> out = new LinkedHashMap<>();
        for (var config : metadata.remoteSchemas()) {
            RemoteSchema remote = remotes.get(config.name());
            if (remote == null) {
                continue;
            }
            config.relationships().forEach((typeName, fields) -> fields.forEach((name, entry) -> {
                if (entry.toRemoteSchema()) {
                    return;
                }
                Relationship relationship = entry.table();
                String where = "remote schema '" + config.name() + "', type " + typeName + ", relationship " + name + ": ";
                if (!(remote.schema().getType(typeName) instanceof graphql.schema.GraphQLObjectType type)) {
                    problem(Kind.REMOTE_SCHEMA, where + "the remote has no object type " + typeName);
                    return;
                }
                String targetSource = relationship.source() == null ? Source.DEFAULT : relationship.source();
                TableModel target = tables.get(key(targetSource, relationship.target()));
                if (target == null) {
                    problem(Kind.REMOTE_SCHEMA, where + "table " + relationship.target() + " of source '" + targetSource + "' is not tracked");
                    return;
                }
                if (!validName(name) || type.getFieldDefinition(name) != null) {
                    problem(Kind.REMOTE_SCHEMA, where + "the name is not a valid GraphQL name or the type already has such a field");
                    return;
                }
                for (Map.Entry<String, String> pair : relationship.on().entrySet()) {
                    if (type.getFieldDefinition(pair.getKey()) == null) {
                        problem(Kind.REMOTE_SCHEMA, where + "uses field " + typeName + "." + pair.getKey() + ", which does not exist");
                        return;
                    }
                    if (target.column(pair.getValue()).isEmpty()) {
                        problem(Kind.REMOTE_SCHEMA, where + "column " + target.name() + "." + pair.getValue() + " does not exist");
                        return;
                    }
                }
                out.computeIfAbsent(config.name(), r -> new ArrayList<>()).add(new RemoteTypeRelationship(config.name(), typeName,
                        new RelationshipModel(name, relationship.isArray(), target.key(), relationship.on())));
            }));
        }
        return out;
    }

    /** Fields that remote schemas' types get from remote schemas ({@code Profile.account}), checked against both remotes. */
    private Map<String, List<RemoteTypeRemoteRelationship>> remoteTypeRemoteRelationships(Metadata metadata, Map<String, RemoteSchema> remotes) {
        Map<String, List<RemoteTypeRemoteRelationship>> out = new LinkedHashMap<>();
        for (var config : metadata.remoteSchemas()) {
            RemoteSchema remote = remotes.get(config.name());
            if (remote == null) {
                continue;
            }
            config.relationships().forEach((typeName, fields) -> fields.forEach((name, entry) -> {
                if (!entry.toRemoteSchema()) {
                    return;
                }
                if (!(remote.schema().getType(typeName) instanceof graphql.schema.GraphQLObjectType type) || isRoot(remote, typeName)) {
                    problem(Kind.REMOTE_SCHEMA, "remote schema '" + config.name() + "', type " + typeName + ", relationship " + name
                            + ": the remote has no object type " + typeName + " (other than its root types)");
                    return;
                }
                switch (RemoteRelationshipResolver.resolve(name, entry.remote(), new JoinParent.RemoteType(config.name(), type), remotes)) {
                    case RemoteRelationshipResolver.Resolved ok -> out.computeIfAbsent(config.name(), r -> new ArrayList<>())
                            .add(new RemoteTypeRemoteRelationship(config.name(), typeName, ok.model()));
                    case RemoteRelationshipResolver.Problem problem -> problems.add(problem.as(Kind.REMOTE_SCHEMA));
                }
            }));
        }
        return out;
    }

    /**
     * Each remote with what each role may use of it (Note [Remote schema permissions] in
     * {@code remote.RemotePermission}); a permission whose SDL is not a subset of the remote's
     * schema is reported, and its role sees nothing of the remote. With remote schema permissions
     * off, every remote is whole for every role and its permissions are not read.
     */
    private Map<String, RemoteSchema> withPermissions(Metadata metadata, Map<String, RemoteSchema> remotes) {
        Map<String, RemoteSchema> out = new LinkedHashMap<>();
        if (!remoteSchemaPermissions) {
            remotes.forEach((name, remote) -> out.put(name, remote.forEveryRole()));
            return out;
        }
        remotes.forEach((name, remote) -> {
            Map<String, io.joinery.proxy.remote.RemotePermission> permissions = new LinkedHashMap<>();
            var configured = InheritedRoles.remote(InheritedRoles.ordered(metadata.inheritedRoles()), name,
                    metadata.remoteSchema(name).map(io.joinery.admin.metadata.RemoteSchemaConfig::permissions).orElse(Map.of()),
                    message -> problem(Kind.INHERITED_ROLE, message));
            configured.forEach((role, permission) -> {
                try {
                    permissions.put(role, io.joinery.proxy.remote.RemotePermission.of(role, permission.schema(), remote.schema()));
                } catch (IllegalArgumentException e) {
                    problem(Kind.REMOTE_SCHEMA, "remote schema '" + name + "', permission of role '" + role + "': " + e.getMessage()
                            + "; the role sees nothing of the remote");
                }
            });
            out.put(name, remote.withPermissions(permissions));
        });
        return out;
    }

    /**
     * The remotes whose types and root fields fit beside the tables' generated ones and each
     * other's; a remote that collides is reported and left out (a customization prefix fixes it).
     */
    private Map<String, RemoteSchema> usableRemotes(Map<String, RemoteSchema> remotes, Map<String, TableModel> tables,
                                                    Set<String> tableMutations) {
        Map<String, RemoteSchema> usable = new LinkedHashMap<>();
        // A remote mutation field named as a table's would shadow it: the remote is reported and left out instead.
        Set<String> mutationFields = new HashSet<>(tableMutations);
        Map<String, String> typeOwners = new java.util.HashMap<>();
        Set<String> rootFields = new HashSet<>();
        tables.values().forEach(t -> rootFields.addAll(List.of(t.selectField(), t.byPkField(), t.aggregateField())));
        for (RemoteSchema remote : remotes.values()) {
            String collision = null;
            java.util.function.UnaryOperator<String> rename = RemoteTypes.renaming(remote);
            String namespace = remote.config().customization().rootFieldsNamespace();
            for (graphql.schema.GraphQLNamedType type : remote.schema().getAllTypesAsList()) {
                String name = rename.apply(type.getName());
                if (name.startsWith("__") || type instanceof graphql.schema.GraphQLScalarType || isRoot(remote, type.getName())) {
                    continue;
                }
                String owner = typeOwners.get(name);
                if (owner != null || generatedName(name, tables)) {
                    collision = "type " + name + " is already defined by " + (owner != null ? "remote schema '" + owner + "'" : "a table");
                    break;
                }
            }
            List<String> roots = namespace != null ? List.of(namespace)
                    : remote.schema().getQueryType().getFieldDefinitions().stream().map(f -> f.getName()).filter(n -> !n.startsWith("_")).toList();
            for (String root : roots) {
                if (collision == null && rootFields.contains(root)) {
                    collision = "root field " + root + " is already defined";
                }
            }
            List<String> mutationRoots = namespace != null || remote.schema().getMutationType() == null ? List.of()
                    : remote.schema().getMutationType().getFieldDefinitions().stream().map(f -> f.getName()).toList();
            for (String root : mutationRoots) {
                if (collision == null && mutationFields.contains(root)) {
                    collision = "mutation root field " + root + " is already defined" + (tableMutations.contains(root) ? " by a table" : "");
                }
            }
            if (collision == null && namespace != null && generatedName(namespace + "_query", tables)) {
                collision = "type " + namespace + "_query is already defined";
            }
            if (collision != null) {
                problem(Kind.REMOTE_SCHEMA, "remote schema '" + remote.name() + "': " + collision + "; it is left out (rename with a customization)");
                continue;
            }
            remote.schema().getAllTypesAsList().stream().filter(t -> !(t instanceof graphql.schema.GraphQLScalarType))
                    .forEach(t -> typeOwners.putIfAbsent(rename.apply(t.getName()), remote.name()));
            if (namespace != null) {
                typeOwners.putIfAbsent(namespace + "_query", remote.name());
            }
            rootFields.addAll(roots);
            mutationFields.addAll(mutationRoots);
            usable.put(remote.name(), remote);
        }
        return usable;
    }

    private static boolean isRoot(RemoteSchema remote, String name) {
        graphql.schema.GraphQLSchema schema = remote.schema();
        return name.equals(schema.getQueryType().getName())
                || (schema.getMutationType() != null && name.equals(schema.getMutationType().getName()))
                || (schema.getSubscriptionType() != null && name.equals(schema.getSubscriptionType().getName()));
    }

    /** Whether a name is one the schema generator makes for tables (t, t_bool_exp, Int_comparison_exp, …). */
    private static boolean generatedName(String name, Map<String, TableModel> tables) {
        if (name.equals("order_by") || name.equals(GraphqlSchemaBuilder.QUERY_ROOT) || name.equals(GraphqlSchemaBuilder.MUTATION_ROOT)
                || name.endsWith("_comparison_exp") || name.endsWith("_cast_exp")) {
            return true;
        }
        return tables.values().stream().anyMatch(t -> name.equals(t.typeName()) || name.startsWith(t.typeName() + "_"));
    }

    /**
     * The enums of a source's enum tables, by table; an enum table that breaks the rules
     * ({@link EnumTableCheck}, reported by the consistency checks) is served as a plain table only.
     */
    private Map<QualifiedName, EnumTypeModel> enumTypes(Source source, DatabaseCatalog catalog, Map<QualifiedName, TableModel> resolved) {
        Map<QualifiedName, EnumTypeModel> enums = new LinkedHashMap<>();
        for (TableConfig config : source.tables()) {
            TableModel table = resolved.get(config.qualifiedName());
            if (!config.isEnum() || table == null) {
                continue;
            }
            TableInfo info = catalog.table(config.qualifiedName()).orElseThrow();
            String name = table.typeName() + "_enum";
            if (!EnumTableCheck.problems(new TableRef(source.name(), table.name()), info, catalog.enumValues(table.name())).isEmpty()) {
                problem(Kind.REPORTED_ELSEWHERE, "table " + table.name() + ": it does not qualify as an enum table (see its consistency problems);"
                        + " served as a plain table");
            } else if (typeNames.contains(name)) {
                problem(Kind.GENERATED_NAME, "table " + table.name() + ": enum type name '" + name + "' is already used by another table;"
                        + " served as a plain table");
            } else {
                enums.put(table.name(), new EnumTypeModel(name, catalog.enumValues(table.name()).orElseThrow()));
            }
        }
        return enums;
    }

    /**
     * Gives each column whose foreign key of that one column references an enum table's key the
     * enum of that table (Hasura's enum references; the first such key of a column wins).
     */
    private static void withEnumColumns(Map<QualifiedName, TableModel> resolved, Map<QualifiedName, EnumTypeModel> enums,
                                        DatabaseCatalog catalog) {
        if (!enums.isEmpty()) {
            resolved.replaceAll((name, table) -> table.withColumns(table.columns().stream()
                    .map(column -> enumReference(column, catalog.table(name).orElseThrow(), enums, catalog)
                            .map(column::withEnumType).orElse(column))
                    .toList()));
        }
    }

    private static Optional<EnumTypeModel> enumReference(ColumnModel column, TableInfo table, Map<QualifiedName, EnumTypeModel> enums,
                                                         DatabaseCatalog catalog) {
        return table.foreignKeys().stream()
                .filter(key -> key.columns().size() == 1 && key.columns().containsKey(column.column()) && enums.containsKey(key.target()))
                .filter(key -> catalog.table(key.target()).orElseThrow().primaryKey().equals(List.copyOf(key.columns().values())))
                .findFirst()
                .map(key -> enums.get(key.target()));
    }

    private TableModel withRemoteRelationships(TableModel table, TableConfig config, Map<String, RemoteSchema> remotes) {
        if (config.remoteRelationships().isEmpty()) {
            return table;
        }
        Map<String, RemoteRelationshipModel> resolved = new LinkedHashMap<>();
        config.remoteRelationships().forEach((name, relationship) -> {
            if (!remotes.containsKey(relationship.remoteSchema())) {
                problem(Kind.REPORTED_ELSEWHERE, "table " + table.name() + ", remote relationship " + name + ": remote schema '"
                        + relationship.remoteSchema() + "' is not available");
                return;
            }
            switch (RemoteRelationshipResolver.resolve(name, relationship, table, remotes)) {
                case RemoteRelationshipResolver.Resolved ok -> resolved.put(name, ok.model());
                case RemoteRelationshipResolver.Problem problem -> problems.add(problem.as(Kind.TABLE_REMOTE_RELATIONSHIP));
            }
        });
        return new TableModel(table.key(), table.source(), table.name(), table.typeName(), table.selectField(),
                table.byPkField(), table.aggregateField(), table.columns(), table.primaryKey(), table.relationships(),
                table.selectPermissions(), resolved, table.computedFields(), table.descriptions());
    }

    /**
     * The computed fields of a table whose functions resolve (the rules of
     * {@code io.joinery.admin.check.ComputedFieldCheck}); the others are reported and left out.
     */
    private TableModel withComputedFields(TableModel table, TableConfig config, DatabaseCatalog catalog,
                                          Map<QualifiedName, TableModel> tracked) {
        if (config.computedFields().isEmpty()) {
            return table;
        }
        Map<String, ComputedFieldModel> resolved = new LinkedHashMap<>();
        config.computedFields().forEach((name, definition) -> {
            String where = "table " + table.name() + ", computed field " + name + ": ";
            try {
                resolved.put(name, computedField(table, name, definition, catalog, tracked));
            } catch (IllegalArgumentException e) {
                problem(kindOf(e), where + e.getMessage() + "; left out");
            }
        });
        return table.withComputedFields(resolved);
    }

    private static ComputedFieldModel computedField(TableModel table, String name, io.joinery.admin.metadata.ComputedField definition,
                                                    DatabaseCatalog catalog, Map<QualifiedName, TableModel> tracked) {
        if (!validName(name) || table.columnByGraphqlName(name).isPresent() || table.relationships().containsKey(name)
                || table.remoteRelationships().containsKey(name)) {
            throw new NameException("not a valid GraphQL name, or the name of a column or relationship");
        }
        QualifiedName functionName = definition.functionName();
        List<io.joinery.admin.catalog.FunctionInfo> found = catalog.functions(functionName);
        if (found.size() != 1 || !found.getFirst().stableOrImmutable()) {
            throw new IllegalArgumentException("function " + functionName + " does not exist once as a STABLE or IMMUTABLE function");
        }
        io.joinery.admin.catalog.FunctionInfo function = found.getFirst();
        var row = definition.tableArgument() != null ? function.argument(definition.tableArgument())
                : function.arguments().stream().findFirst();
        if (row.isEmpty() || !row.get().row() || !row.get().type().equals(table.name())) {
            throw new IllegalArgumentException("function " + functionName + " takes no argument of the table's row type");
        }
        List<ComputedFieldModel.Argument> arguments = new ArrayList<>();
        for (io.joinery.admin.catalog.FunctionInfo.Argument argument : function.arguments()) {
            if (argument.equals(row.get())) {
                arguments.add(new ComputedFieldModel.Argument(argument.name(), ComputedFieldModel.ArgumentKind.ROW, null, false));
                continue;
            }
            ColumnModel value = argumentValue(argument);
            boolean session = definition.sessionArgument() != null && definition.sessionArgument().equals(argument.name());
            if (session && !value.kind().json()) {
                throw new IllegalArgumentException("session argument " + argument.name() + " is not json or jsonb");
            }
            arguments.add(new ComputedFieldModel.Argument(argument.name(),
                    session ? ComputedFieldModel.ArgumentKind.SESSION : ComputedFieldModel.ArgumentKind.INPUT, value, argument.hasDefault()));
        }
        if (definition.sessionArgument() != null && arguments.stream().noneMatch(a -> a.kind() == ComputedFieldModel.ArgumentKind.SESSION)) {
            throw new IllegalArgumentException("function " + functionName + " has no argument " + definition.sessionArgument());
        }
        String argsType = ("public".equals(functionName.schema()) ? "" : functionName.schema() + "_") + functionName.name() + "_args";
        String description = Descriptions.pick(definition.comment(), function.comment(),
                "A computed field, executes function \"" + functionName + "\"");
        if (function.returnsSet() && function.returnsRow()) {
            TableModel target = tracked.get(function.returnType());
            if (target == null) {
                throw new IllegalArgumentException("it returns SETOF " + function.returnType() + ", which is not a tracked table");
            }
            return new ComputedFieldModel(name, functionName, table.name(), arguments, null, target.key(), argsType, description);
        }
        if (function.returnsSet() || !("b".equals(function.returnKind()) || "e".equals(function.returnKind()))
                || function.returnType().name().startsWith("_")) {
            throw new IllegalArgumentException("it returns " + function.returnType() + ", neither a base type nor SETOF a tracked table");
        }
        String type = function.returnType().name();
        ScalarKind kind = ScalarKind.of(type, "e".equals(function.returnKind()));
        ColumnModel scalar = new ColumnModel(name, name, type, kind.graphqlName(type), kind, false, true);
        return new ComputedFieldModel(name, functionName, table.name(), arguments, scalar, null, argsType, description);
    }

    /**
     * An argument as a column-like value: its GraphQL scalar and the SQL type its parameter is cast to. A row of a
     * table of the public schema is a scalar {@code <table>_scalar} (the table's name is its object type), written as
     * Postgres' row literal ({@code "(1,Roger,Chris)"}), as in Hasura.
     */
    private static ColumnModel argumentValue(io.joinery.admin.catalog.FunctionInfo.Argument argument) {
        String type = argument.type().name();
        ScalarKind kind = ScalarKind.of(type, false);
        String scalar = argument.row() ? type + "_scalar" : kind.graphqlName(type);
        if (argument.name() == null || argument.row() && !argument.type().schema().equals("public") || type.startsWith("_")
                || !validName(scalar)) {
            throw new NameException("argument " + (argument.name() == null ? "(unnamed)" : argument.name())
                    + " of type " + argument.type() + " cannot be a GraphQL argument");
        }
        return new ColumnModel(argument.name(), argument.name(), type, scalar, kind, false, true);
    }

    private TableModel table(String source, TableConfig config, TableInfo info) {
        QualifiedName name = config.qualifiedName();
        String typeName = config.name() != null ? config.name()
                : "public".equals(name.schema()) ? name.name() : name.schema() + "_" + name.name();
        if (!validName(typeName)) {
            problem(Kind.GENERATED_NAME, "table " + name + ": '" + typeName + "' is not a valid GraphQL name; give it a 'name'");
            return null;
        }
        if (!typeNames.add(typeName)) {
            problem(Kind.GENERATED_NAME, "table " + name + ": GraphQL type name '" + typeName + "' is already used by another table");
            return null;
        }
        String select = orDefault(config.rootFields().select(), typeName);
        String byPk = orDefault(config.rootFields().selectByPk(), typeName + "_by_pk");
        String aggregate = orDefault(config.rootFields().selectAggregate(), typeName + "_aggregate");
        for (String root : List.of(select, byPk, aggregate)) {
            if (!rootNames.add(root)) {
                problem(Kind.GENERATED_NAME, "table " + name + ": root field '" + root + "' is already used by another table");
                return null;
            }
        }
        List<ColumnModel> columns = new ArrayList<>();
        for (ColumnInfo column : info.columns()) {
            String field = config.columns().getOrDefault(column.name(), column.name());
            if (!validName(field)) {
                problem(Kind.GENERATED_NAME, "table " + name + ", column \"" + column.name() + "\": not a valid GraphQL name;"
                        + " rename it with 'columns: {\"" + column.name() + "\": new_name}'; left out");
                continue;
            }
            ScalarKind kind = ScalarKind.of(column.type(), column.isEnum());
            String scalar = kind.graphqlName(column.type());
            if (!validName(scalar)) {
                problem(Kind.GENERATED_NAME, "table " + name + ", column " + column.name() + ": type " + column.type() + " has no GraphQL name; left out");
                continue;
            }
            String sqlType = column.typeSchema() == null ? column.type() : ColumnModel.qualifiedType(column.typeSchema(), column.type());
            columns.add(new ColumnModel(column.name(), field, column.array() ? sqlType + "[]" : sqlType,
                    scalar, kind, column.array(), column.nullable()));
        }
        for (String renamed : config.columns().keySet()) {
            if (info.column(renamed).isEmpty()) {
                problem(Kind.REPORTED_ELSEWHERE, "table " + name + ": renamed column '" + renamed + "' does not exist");
            }
        }
        List<String> primaryKey = info.primaryKey().stream().allMatch(pk -> columns.stream().anyMatch(c -> c.column().equals(pk)))
                ? info.primaryKey() : List.of();
        // Only select permissions make a role see a table; the others are its mutations (TableWrites).
        Map<String, SelectPermission> permissions = new LinkedHashMap<>();
        for (Map.Entry<String, RolePermissions> entry : config.permissions().entrySet()) {
            if (entry.getValue().select() != null) {
                permissions.put(entry.getKey(), entry.getValue().select());
            }
        }
        Map<String, String> columnDescriptions = new LinkedHashMap<>();
        for (ColumnInfo column : info.columns()) {
            String description = Descriptions.pick(config.columnComments().get(column.name()), column.comment(), null);
            if (description != null) {
                columnDescriptions.put(column.name(), description);
            }
        }
        Descriptions descriptions = new Descriptions(Descriptions.pick(config.comment(), info.comment(),
                "columns and relationships of \"" + name + "\""), columnDescriptions, config.rootFieldComments());
        return new TableModel(key(source, name), source, name, typeName, select, byPk, aggregate, columns, primaryKey,
                Map.of(), permissions, Map.of(), Map.of(), descriptions);
    }

    private TableModel withRelationships(TableModel table, TableConfig config, Source source, DatabaseCatalog catalog,
                                         Map<QualifiedName, TableModel> tracked, Map<String, Map<QualifiedName, TableModel>> bySource) {
        Map<String, RelationshipModel> relationships = new LinkedHashMap<>();
        for (Map.Entry<String, Relationship> entry : config.relationships().entrySet()) {
            String name = entry.getKey();
            Relationship declared = entry.getValue();
            String where = "table " + table.name() + ", relationship " + name;
            String targetSource = declared.source() == null ? source.name() : declared.source();
            TableModel target = bySource.getOrDefault(targetSource, Map.of()).get(declared.target());
            if (!validName(name)) {
                problem(Kind.GENERATED_NAME, where + ": not a valid GraphQL name");
            } else if (target == null) {
                problem(Kind.REPORTED_ELSEWHERE, where + ": target table " + declared.target() + " of source '" + targetSource + "' is not tracked");
            } else if (table.columnByGraphqlName(name).isPresent()) {
                problem(Kind.GENERATED_NAME, where + ": collides with a column of the same name");
            } else if (mappingResolves(where, table, target, declared.on())) {
                boolean required = declared.isRequired() && !declared.isArray() && targetSource.equals(source.name())
                        && alongRequiredForeignKey(table, target, declared.on(), catalog);
                relationships.put(name, new RelationshipModel(name, declared.isArray(), target.key(), declared.on(), required));
            }
        }
        if (source.inferRelationships()) {
            inferRelationships(table, catalog, tracked, relationships);
        }
        return new TableModel(table.key(), table.source(), table.name(), table.typeName(), table.selectField(),
                table.byPkField(), table.aggregateField(), table.columns(), table.primaryKey(), relationships,
                table.selectPermissions(), Map.of(), table.computedFields(), table.descriptions());
    }

    /**
     * Note [Required object relationships]: as in Hasura, an object relationship along a foreign key of its own
     * table whose columns are all NOT NULL is a non-null field ({@code author: author!}): the database guarantees
     * the row. Declared relationships ask for it with {@code required: true} (what Hasura's
     * {@code foreign_key_constraint_on} imports as; its {@code manual_configuration} stays nullable), inferred
     * ones always do. Along a foreign key of the other table, or with a nullable column, it stays nullable.
     */
    private static boolean alongRequiredForeignKey(TableModel table, TableModel target, Map<String, String> on, DatabaseCatalog catalog) {
        boolean notNull = on.keySet().stream().allMatch(column -> table.column(column).map(c -> !c.nullable()).orElse(false));
        return notNull && catalog.table(table.name()).stream().flatMap(info -> info.foreignKeys().stream())
                .anyMatch(key -> key.target().equals(target.name()) && key.columns().equals(on));
    }

    private boolean mappingResolves(String where, TableModel table, TableModel target, Map<String, String> on) {
        for (Map.Entry<String, String> pair : on.entrySet()) {
            ColumnModel from = table.column(pair.getKey()).orElse(null);
            ColumnModel to = target.column(pair.getValue()).orElse(null);
            if (from == null || to == null) {
                problem(Kind.REPORTED_ELSEWHERE, where + ": column " + (from == null ? table.name() + "." + pair.getKey()
                        : target.name() + "." + pair.getValue()) + " does not exist");
                return false;
            }
            if (!comparable(from, to)) {
                problem(Kind.REPORTED_ELSEWHERE, where + ": " + from.column() + " (" + from.sqlType() + ") and " + to.column() + " ("
                        + to.sqlType() + ") are not comparable");
                return false;
            }
        }
        return true;
    }

    static boolean comparable(ColumnModel a, ColumnModel b) {
        if (a.array() != b.array()) {
            return false;
        }
        return a.sqlType().equals(b.sqlType()) || (a.kind().numeric() && b.kind().numeric())
                || (a.kind().textual() && b.kind().textual());
    }

    /** Object relationships along each foreign key, array relationships back along it (Hasura's suggestions). */
    private void inferRelationships(TableModel table, DatabaseCatalog catalog, Map<QualifiedName, TableModel> tracked,
                                    Map<String, RelationshipModel> relationships) {
        TableInfo info = catalog.table(table.name()).orElseThrow();
        for (ForeignKey key : info.foreignKeys()) {
            TableModel target = tracked.get(key.target());
            if (target == null) {
                continue;
            }
            String column = key.columns().keySet().iterator().next();
            String name = key.columns().size() == 1 && column.endsWith("_id") && column.length() > 3
                    ? column.substring(0, column.length() - 3) : target.typeName();
            addInferred(table, relationships, new RelationshipModel(name, false, target.key(), key.columns(),
                    alongRequiredForeignKey(table, target, key.columns(), catalog)));
        }
        for (TableInfo other : catalog.tables().values()) {
            TableModel source = tracked.get(other.name());
            if (source == null) {
                continue;
            }
            for (ForeignKey key : other.foreignKeys()) {
                if (!key.target().equals(table.name())) {
                    continue;
                }
                Map<String, String> reversed = new LinkedHashMap<>();
                key.columns().forEach((from, to) -> reversed.put(to, from));
                String name = source.typeName().endsWith("s") ? source.typeName() : source.typeName() + "s";
                if (relationships.containsKey(name) || table.columnByGraphqlName(name).isPresent()) {
                    name = name + "_by_" + String.join("_", key.columns().keySet());
                }
                addInferred(table, relationships, new RelationshipModel(name, true, source.key(), reversed));
            }
        }
    }

    private void addInferred(TableModel table, Map<String, RelationshipModel> relationships, RelationshipModel relationship) {
        String name = relationship.name();
        if (!validName(name) || relationships.containsKey(name) || table.columnByGraphqlName(name).isPresent()) {
            return;
        }
        boolean sameMapping = relationships.values().stream().anyMatch(r -> r.target().equals(relationship.target())
                && r.mapping().equals(relationship.mapping()) && r.array() == relationship.array());
        if (!sameMapping) {
            relationships.put(name, relationship);
        }
    }

    private static String orDefault(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
