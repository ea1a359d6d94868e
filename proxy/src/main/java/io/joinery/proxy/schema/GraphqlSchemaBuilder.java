package io.joinery.proxy.schema;

import graphql.Scalars;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeReference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates one role's GraphQL schema with Hasura's names and shapes: per table {@code t} the root
 * fields {@code t}, {@code t_by_pk}, {@code t_aggregate}; the types {@code t_bool_exp},
 * {@code t_order_by}, {@code t_select_column}, {@code t_aggregate(_fields)}, {@code t_<op>_fields};
 * per scalar {@code <S>_comparison_exp}; per enum table {@code e} that a column the role sees
 * references, the enum {@code e_enum} and {@code e_enum_comparison_exp}; the mutations of the tables
 * the role may change ({@link MutationFields}); the actions the role may call ({@link ActionTypes}). Root type names are Hasura's {@code query_root} and
 * {@code mutation_root}.
 */
public final class GraphqlSchemaBuilder {

    public static final String QUERY_ROOT = "query_root";
    public static final String MUTATION_ROOT = "mutation_root";
    public static final String SUBSCRIPTION_ROOT = "subscription_root";
    /** A table's streaming subscription field is its select field with this suffix ({@code author_stream}). */
    public static final String STREAM_SUFFIX = "_stream";
    private static final String STREAM_ORDERING = "cursor_ordering";
    private static final java.util.Set<String> BUILT_IN_SCALARS = java.util.Set.of("Int", "Float", "String", "Boolean", "ID");
    static final List<String> NUMERIC_AGGREGATES = List.of("avg", "stddev", "stddev_pop", "stddev_samp", "sum",
            "var_pop", "var_samp", "variance");
    static final List<String> ORDERED_AGGREGATES = List.of("max", "min");

    private final RoleAccess access;
    private final Map<String, GraphQLType> types = new LinkedHashMap<>();
    private final java.util.Set<String> abstractTypes = new java.util.LinkedHashSet<>();

    private GraphqlSchemaBuilder(RoleAccess access) {
        this.access = access;
    }

    public static GraphQLSchema build(RoleAccess access) {
        return new GraphqlSchemaBuilder(access).schema();
    }

    /** The aggregate operations a column takes part in; none for an enum table's values, as in Hasura. */
    public static List<String> aggregatesFor(ColumnModel column) {
        if (column.array() || column.kind().json() || column.enumReference()) {
            return List.of();
        }
        List<String> ops = new ArrayList<>();
        if (column.kind().numeric()) {
            ops.addAll(NUMERIC_AGGREGATES);
        }
        if (column.kind().ordered()) {
            ops.addAll(ORDERED_AGGREGATES);
        }
        return ops;
    }

    private GraphQLSchema schema() {
        types.put("order_by", orderByEnum());
        for (io.joinery.proxy.remote.RemoteSchema remote : access.remotes()) {
            // A remote's own scalars serve the tables too, so each scalar name has one instance.
            remote.schema().getAllTypesAsList().stream()
                    .filter(t -> t instanceof graphql.schema.GraphQLScalarType && !BUILT_IN_SCALARS.contains(t.getName()))
                    .forEach(t -> types.putIfAbsent(t.getName(), t));
        }
        GraphQLObjectType.Builder query = GraphQLObjectType.newObject().name(QUERY_ROOT);
        List<TableModel> tables = access.tables();
        for (TableModel table : tables) {
            defineTable(table);
            if (selectable(table)) {
                query.field(GraphQLFieldDefinition.newFieldDefinition().name(table.selectField())
                        .description(table.descriptions().rootField("select", "fetch data from the table: \"" + table.name() + "\""))
                        .arguments(selectArguments(table))
                        .type(nonNullList(ref(table.typeName()))));
            }
            if (selectable(table) && !table.primaryKey().isEmpty() && access.columns(table).stream().map(ColumnModel::column).toList()
                    .containsAll(table.primaryKey())) {
                GraphQLFieldDefinition.Builder byPk = GraphQLFieldDefinition.newFieldDefinition().name(table.byPkField())
                        .description(table.descriptions().rootField("select_by_pk", "fetch data from the table: \"" + table.name() + "\" using primary key columns"))
                        .type(ref(table.typeName()));
                for (String pk : table.primaryKey()) {
                    ColumnModel column = table.column(pk).orElseThrow();
                    byPk.argument(GraphQLArgument.newArgument().name(column.graphqlName())
                            .type(GraphQLNonNull.nonNull(columnInputType(column))));
                }
                query.field(byPk);
            }
            if (access.aggregations(table)) {
                query.field(GraphQLFieldDefinition.newFieldDefinition().name(table.aggregateField())
                        .description(table.descriptions().rootField("select_aggregate", "fetch aggregated fields from the table: \"" + table.name() + "\""))
                        .arguments(selectArguments(table))
                        .type(GraphQLNonNull.nonNull(ref(table.typeName() + "_aggregate"))));
            }
        }
        for (ComputedFieldModel function : access.functions()) {
            if (selectable(access.model().table(function.target()))) {
                query.field(functionRootField(function));
            }
            if (access.aggregations(access.model().table(function.target()))) {
                query.field(functionAggregateField(function));
            }
        }
        // The subscription root mirrors the query root's table and function fields (Note [Live queries] in subscription.LiveQueries).
        GraphQLObjectType tableQueries = query.build();
        GraphQLObjectType.Builder mutation = GraphQLObjectType.newObject().name(MUTATION_ROOT);
        List<GraphQLFieldDefinition> tableMutations = new MutationFields(access, types, this::columnInputType).fields();
        tableMutations.forEach(mutation::field);
        boolean mutations = mergeRemotes(query, mutation) || !tableMutations.isEmpty();
        ActionTypes actions = new ActionTypes(access, types, this::selectArguments, this::scalarType);
        List<GraphQLFieldDefinition> queryActions = actions.rootFields(false);
        List<GraphQLFieldDefinition> mutationActions = actions.rootFields(true);
        queryActions.forEach(query::field);
        mutationActions.forEach(mutation::field);
        mutations |= !mutationActions.isEmpty();
        if (tables.isEmpty() && access.remotes().isEmpty() && queryActions.isEmpty()) {
            query.field(GraphQLFieldDefinition.newFieldDefinition().name("no_queries_available")
                    .type(GraphQLNonNull.nonNull(Scalars.GraphQLString)));
        }
        GraphQLSchema.Builder schema = GraphQLSchema.newSchema().query(query.build());
        if (!tableQueries.getFieldDefinitions().isEmpty()) {
            GraphQLObjectType.Builder subscription = GraphQLObjectType.newObject().name(SUBSCRIPTION_ROOT).fields(tableQueries.getFieldDefinitions());
            tables.stream().filter(this::selectable).filter(this::streamable).forEach(table -> subscription.field(streamField(table)));
            schema.subscription(subscription.build());
        }
        if (mutations) {
            schema.mutation(mutation.build());
        }
        types.values().forEach(t -> schema.additionalType((graphql.schema.GraphQLNamedType) t));
        if (!abstractTypes.isEmpty()) {
            // Interfaces and unions of remotes: graphql-java wants a type resolver even though Joinery
            // never resolves them itself (the remote's answer carries __typename).
            graphql.schema.GraphQLCodeRegistry.Builder registry = graphql.schema.GraphQLCodeRegistry.newCodeRegistry();
            abstractTypes.forEach(name -> registry.typeResolver(name, env -> null));
            schema.codeRegistry(registry.build());
        }
        return schema.build();
    }

    /**
     * Adds each remote schema's types and its query and mutation root fields. A remote whose type or
     * root field names collide with the graph's is expected to be customized; its colliding fields
     * are left out (the consistency checks report them).
     */
    private boolean mergeRemotes(GraphQLObjectType.Builder query, GraphQLObjectType.Builder mutation) {
        boolean mutations = false;
        java.util.Set<String> rootFields = new java.util.HashSet<>();
        access.tables().forEach(t -> rootFields.addAll(List.of(t.selectField(), t.byPkField(), t.aggregateField())));
        access.functions().forEach(function -> rootFields.addAll(List.of(function.name(), function.name() + "_aggregate")));
        for (io.joinery.proxy.remote.RemoteSchema remote : access.remotes()) {
            GraphQLSchema remoteSchema = remote.schema();
            java.util.function.UnaryOperator<String> rename = RemoteTypes.renaming(remote);
            String namespace = remote.config().customization().rootFieldsNamespace();
            java.util.Set<String> roots = new java.util.HashSet<>();
            roots.add(remoteSchema.getQueryType().getName());
            if (remoteSchema.getMutationType() != null) {
                roots.add(remoteSchema.getMutationType().getName());
            }
            if (remoteSchema.getSubscriptionType() != null) {
                roots.add(remoteSchema.getSubscriptionType().getName());
            }
            for (graphql.schema.GraphQLNamedType type : remoteSchema.getAllTypesAsList()) {
                String name = type.getName();
                if (name.startsWith("__") || BUILT_IN_SCALARS.contains(name) || roots.contains(name) || types.containsKey(rename.apply(name))) {
                    continue;
                }
                if (RemoteTypes.abstractType(type)) {
                    abstractTypes.add(rename.apply(name));
                }
                types.put(rename.apply(name), RemoteTypes.copy(type, tableFields(remote.name(), name), rename, remote.config().customization()));
            }
            List<GraphQLFieldDefinition> queryFields = remoteSchema.getQueryType().getFieldDefinitions().stream()
                    .filter(f -> !f.getName().startsWith("_"))
                    .map(f -> RemoteTypes.field(f, rename, remoteSchema.getQueryType().getName(), remote.config().customization())).toList();
            if (namespace != null) {
                types.put(namespace + "_query", GraphQLObjectType.newObject().name(namespace + "_query")
                        .description("the root fields of remote schema '" + remote.name() + "'").fields(queryFields).build());
                query.field(GraphQLFieldDefinition.newFieldDefinition().name(namespace).type(ref(namespace + "_query")));
            } else {
                queryFields.stream().filter(f -> rootFields.add(f.getName())).forEach(query::field);
            }
            if (remoteSchema.getMutationType() != null) {
                List<GraphQLFieldDefinition> mutationFields = remoteSchema.getMutationType().getFieldDefinitions().stream()
                        .map(f -> RemoteTypes.field(f, rename, remoteSchema.getMutationType().getName(), remote.config().customization())).toList();
                if (namespace != null) {
                    types.put(namespace + "_mutation", GraphQLObjectType.newObject().name(namespace + "_mutation")
                            .fields(mutationFields).build());
                    mutation.field(GraphQLFieldDefinition.newFieldDefinition().name(namespace).type(ref(namespace + "_mutation")));
                } else {
                    mutationFields.forEach(mutation::field);
                }
                mutations = true;
            }
        }
        return mutations;
    }

    /** The fields a remote type gets from table relationships the role can see, and from remote schema relationships. */
    private List<GraphQLFieldDefinition> tableFields(String remote, String typeName) {
        List<GraphQLFieldDefinition> fields = new ArrayList<>();
        for (RemoteTypeRelationship relationship : access.model().relationshipsOf(remote, typeName)) {
            TableModel target = access.model().table(relationship.relationship().target());
            if (!access.visible(target) || !access.seesFields(remote, typeName, relationship.relationship().mapping().keySet())) {
                continue;
            }
            String targetType = target.typeName();
            fields.add(relationship.relationship().array()
                    ? GraphQLFieldDefinition.newFieldDefinition().name(relationship.relationship().name())
                    .description("An array relationship to table " + target.name()).arguments(selectArguments(target))
                    .type(nonNullList(ref(targetType))).build()
                    : GraphQLFieldDefinition.newFieldDefinition().name(relationship.relationship().name())
                    .description("An object relationship to table " + target.name()).type(ref(targetType)).build());
        }
        for (RemoteTypeRemoteRelationship relationship : access.model().remoteRelationshipsOf(remote, typeName)) {
            RemoteRelationshipModel joined = relationship.relationship();
            if (!access.reaches(joined) || !access.seesFields(remote, typeName, joined.keyColumns())) {
                continue;
            }
            fields.add(GraphQLFieldDefinition.newFieldDefinition().name(joined.name())
                    .description("A remote relationship to remote schema '" + joined.remote() + "'")
                    .type((GraphQLOutputType) RemoteTypes.ref(joined.type(), RemoteTypes.renaming(access.model().remotes().get(joined.remote()))))
                    .build());
        }
        return fields;
    }

    private void defineTable(TableModel table) {
        String name = table.typeName();
        List<ColumnModel> columns = access.columns(table);
        GraphQLObjectType.Builder object = GraphQLObjectType.newObject().name(name)
                .description(table.descriptions().table());
        GraphQLInputObjectType.Builder boolExp = GraphQLInputObjectType.newInputObject().name(name + "_bool_exp")
                .description("Boolean expression to filter rows from the table \"" + table.name() + "\". All fields are combined with a logical 'AND'.")
                .field(inputField("_and", GraphQLList.list(GraphQLNonNull.nonNull(ref(name + "_bool_exp")))))
                .field(inputField("_not", ref(name + "_bool_exp")))
                .field(inputField("_or", GraphQLList.list(GraphQLNonNull.nonNull(ref(name + "_bool_exp")))));
        GraphQLInputObjectType.Builder orderBy = GraphQLInputObjectType.newInputObject().name(name + "_order_by")
                .description("Ordering options when selecting data from \"" + table.name() + "\".");
        GraphQLEnumType.Builder selectColumn = GraphQLEnumType.newEnum().name(name + "_select_column")
                .description("select columns of table \"" + table.name() + "\"");
        for (ColumnModel column : columns) {
            GraphQLFieldDefinition.Builder columnField = GraphQLFieldDefinition.newFieldDefinition().name(column.graphqlName())
                    .description(table.descriptions().column(column.column()))
                    .type(columnOutputType(column, access.redactions(table).containsKey(column.column())));
            if (column.kind().json() && !column.array()) {
                // Hasura's path into a json/jsonb value ({@code doc(path: "$.a[0]")}); see plan.JsonPath
                columnField.argument(GraphQLArgument.newArgument().name("path").description("JSON select path").type(Scalars.GraphQLString));
            }
            object.field(columnField);
            boolExp.field(inputField(column.graphqlName(), comparisonType(column)));
            if (!column.array() && column.kind() != ScalarKind.JSON) {
                orderBy.field(inputField(column.graphqlName(), ref("order_by")));
            }
            selectColumn.value(column.graphqlName(), column.graphqlName(), "column name");
        }
        for (RelationshipModel relationship : access.relationships(table)) {
            TableModel target = access.model().table(relationship.target());
            String targetName = target.typeName();
            if (!target.source().equals(table.source())) {
                // Another database: joined after the fact, so no filtering, ordering or aggregates through it.
                object.field(GraphQLFieldDefinition.newFieldDefinition().name(relationship.name())
                        .description("A relationship to source '" + target.source() + "'")
                        .arguments(relationship.array() ? selectArguments(target) : List.of())
                        .type(relationship.array() ? nonNullList(ref(targetName)) : ref(targetName)));
                continue;
            }
            if (relationship.array()) {
                if (selectable(target)) {
                    object.field(GraphQLFieldDefinition.newFieldDefinition().name(relationship.name())
                            .description("An array relationship").arguments(selectArguments(target))
                            .type(nonNullList(ref(targetName))));
                }
                if (access.aggregations(target)) {
                    object.field(GraphQLFieldDefinition.newFieldDefinition().name(relationship.name() + "_aggregate")
                            .description("An aggregate relationship").arguments(selectArguments(target))
                            .type(GraphQLNonNull.nonNull(ref(targetName + "_aggregate"))));
                    orderBy.field(inputField(relationship.name() + "_aggregate", ref(targetName + "_aggregate_order_by")));
                }
            } else if (selectable(target)) {
                object.field(GraphQLFieldDefinition.newFieldDefinition().name(relationship.name())
                        .description("An object relationship")
                        .type(relationship.required() ? GraphQLNonNull.nonNull(ref(targetName)) : ref(targetName)));
                orderBy.field(inputField(relationship.name(), ref(targetName + "_order_by")));
            }
            boolExp.field(inputField(relationship.name(), ref(targetName + "_bool_exp")));
        }
        for (RemoteRelationshipModel remote : access.remoteRelationships(table)) {
            object.field(GraphQLFieldDefinition.newFieldDefinition().name(remote.name())
                    .description("A remote relationship to remote schema '" + remote.remote() + "'")
                    .arguments(RemoteRelationshipArguments.of(remote, access.model().remotes().get(remote.remote()), name, types))
                    .type((graphql.schema.GraphQLOutputType) RemoteTypes.ref(remote.type(),
                            RemoteTypes.renaming(access.model().remotes().get(remote.remote())))));
        }
        access.computedFields(table).stream()
                .filter(computed -> !computed.returnsRows() || selectable(access.model().table(computed.target())))
                .forEach(computed -> object.field(computedField(computed)));
        computedFilterFields(table, boolExp, orderBy);
        if (selectable(table)) {
            types.put(name, object.build());
        }
        types.put(name + "_bool_exp", boolExp.build());
        if (!columns.isEmpty()) {
            types.put(name + "_order_by", orderBy.build());
            types.put(name + "_select_column", selectColumn.build());
        } else {
            types.put(name + "_order_by", orderBy.field(inputField("_placeholder", ref("order_by"))).build());
            types.put(name + "_select_column", selectColumn.value("_placeholder").build());
        }
        defineAggregates(table, columns);
    }

    /**
     * A computed field: a scalar, or the rows of a table with the arguments of an array relationship;
     * {@code args: <function>_args} when the function takes arguments besides the row and the session.
     * It is not in the aggregates (not supported); see {@link #computedFilterFields} for where and order_by.
     */
    private GraphQLFieldDefinition computedField(ComputedFieldModel computed) {
        List<GraphQLArgument> arguments = new ArrayList<>(argsArgument(computed, "input parameters for computed field \""
                + computed.name() + "\" defined on table \"" + computed.rowType() + "\""));
        GraphQLFieldDefinition.Builder field = GraphQLFieldDefinition.newFieldDefinition().name(computed.name())
                .description(computed.description());
        if (!computed.returnsRows()) {
            return field.arguments(arguments).type(columnOutputType(computed.scalar(), false)).build();
        }
        TableModel target = access.model().table(computed.target());
        arguments.addAll(selectArguments(target));
        return field.arguments(arguments).type(nonNullList(ref(target.typeName()))).build();
    }

    /**
     * {@code args: <argsType>} and its input type, one nullable field per input argument of the function, as in
     * Hasura (a variable of the nullable type may be passed; SQL gets NULL); {@code args} itself is non-null when
     * an input has no default. None when it takes no inputs.
     */
    private List<GraphQLArgument> argsArgument(ComputedFieldModel computed, String description) {
        if (computed.inputs().isEmpty()) {
            return List.of();
        }
        // A function that is both a computed field and a root field has one args type with the inputs of both:
        // the root field's also take the table row, which the computed field passes itself.
        GraphQLInputObjectType existing = (GraphQLInputObjectType) types.get(computed.argsType());
        GraphQLInputObjectType.Builder args = existing != null ? GraphQLInputObjectType.newInputObject(existing)
                : GraphQLInputObjectType.newInputObject().name(computed.argsType())
                        .description("input arguments of function \"" + computed.function() + "\"");
        for (ComputedFieldModel.Argument input : computed.inputs()) {
            if (existing == null || existing.getField(input.name()) == null) {
                args.field(inputField(input.name(), columnInputType(input.value())));
            }
        }
        types.put(computed.argsType(), args.build());
        boolean required = computed.inputs().stream().anyMatch(input -> !input.optional());
        return List.of(GraphQLArgument.newArgument().name("args").description(description)
                .type(required ? GraphQLNonNull.nonNull(ref(computed.argsType())) : ref(computed.argsType())).build());
    }

    /**
     * A tracked function's query root field: {@code <name>(args, where, order_by, limit, offset,
     * distinct_on): [<table>!]!}, the rows of its table as the role may select them.
     */
    private GraphQLFieldDefinition functionRootField(ComputedFieldModel function) {
        TableModel target = access.model().table(function.target());
        List<GraphQLArgument> arguments = new ArrayList<>(argsArgument(function,
                "input parameters for function \"" + function.name() + "\""));
        arguments.addAll(selectArguments(target));
        return GraphQLFieldDefinition.newFieldDefinition().name(function.name())
                .description("execute function \"" + function.function() + "\" which returns \"" + target.name() + "\"")
                .arguments(arguments).type(nonNullList(ref(target.typeName()))).build();
    }

    /** {@code <name>_aggregate(args, where, …): <table>_aggregate!}, for a role that may aggregate the table. */
    private GraphQLFieldDefinition functionAggregateField(ComputedFieldModel function) {
        TableModel target = access.model().table(function.target());
        List<GraphQLArgument> arguments = new ArrayList<>(argsArgument(function,
                "input parameters for function \"" + function.name() + "_aggregate\""));
        arguments.addAll(selectArguments(target));
        return GraphQLFieldDefinition.newFieldDefinition().name(function.name() + "_aggregate")
                .description("execute function \"" + function.function() + "\" and query aggregates on result of table type \""
                        + target.name() + "\"")
                .arguments(arguments).type(GraphQLNonNull.nonNull(ref(target.typeName() + "_aggregate"))).build();
    }

    /**
     * The computed fields the role sees without {@code args} in {@code _bool_exp} and, scalar ones, in
     * {@code _order_by}: Note [Computed fields in where and order_by] in {@link ComputedFieldModel}.
     */
    private void computedFilterFields(TableModel table, GraphQLInputObjectType.Builder boolExp, GraphQLInputObjectType.Builder orderBy) {
        for (ComputedFieldModel computed : access.computedFields(table)) {
            if (!computed.filterable()) {
                continue;
            }
            if (computed.returnsRows()) {
                TableModel target = access.model().table(computed.target());
                boolExp.field(inputField(computed.name(), ref(target.typeName() + "_bool_exp")));
                if (access.aggregations(target)) {
                    orderBy.field(inputField(computed.name() + "_aggregate", ref(target.typeName() + "_aggregate_order_by")));
                }
                continue;
            }
            boolExp.field(inputField(computed.name(), comparisonType(computed.scalar())));
            if (computed.orderable()) {
                orderBy.field(inputField(computed.name(), ref("order_by")));
            }
        }
    }

    private void defineAggregates(TableModel table, List<ColumnModel> columns) {
        String name = table.typeName();
        GraphQLFieldDefinition.Builder count = GraphQLFieldDefinition.newFieldDefinition().name("count")
                .type(GraphQLNonNull.nonNull(Scalars.GraphQLInt));
        if (!columns.isEmpty()) {
            count.argument(GraphQLArgument.newArgument().name("columns").type(GraphQLList.list(GraphQLNonNull.nonNull(ref(name + "_select_column")))))
                    .argument(GraphQLArgument.newArgument().name("distinct").type(Scalars.GraphQLBoolean));
        }
        GraphQLObjectType.Builder fields = GraphQLObjectType.newObject().name(name + "_aggregate_fields")
                .description("aggregate fields of \"" + table.name() + "\"")
                .field(count);
        GraphQLInputObjectType.Builder aggregateOrderBy = GraphQLInputObjectType.newInputObject()
                .name(name + "_aggregate_order_by")
                .description("order by aggregate values of table \"" + table.name() + "\"")
                .field(inputField("count", ref("order_by")));
        for (String op : concat(NUMERIC_AGGREGATES, ORDERED_AGGREGATES)) {
            List<ColumnModel> applicable = columns.stream().filter(c -> aggregatesFor(c).contains(op)).toList();
            if (applicable.isEmpty()) {
                continue;
            }
            GraphQLObjectType.Builder opFields = GraphQLObjectType.newObject().name(name + "_" + op + "_fields")
                    .description("aggregate " + op + " on columns");
            GraphQLInputObjectType.Builder opOrder = GraphQLInputObjectType.newInputObject().name(name + "_" + op + "_order_by")
                    .description("order by " + op + "() on columns of table \"" + table.name() + "\"");
            for (ColumnModel column : applicable) {
                GraphQLOutputType type = ORDERED_AGGREGATES.contains(op) || "sum".equals(op)
                        ? (GraphQLOutputType) scalarType(column.scalar()) : Scalars.GraphQLFloat;
                opFields.field(GraphQLFieldDefinition.newFieldDefinition().name(column.graphqlName()).type(type));
                opOrder.field(inputField(column.graphqlName(), ref("order_by")));
            }
            types.put(name + "_" + op + "_fields", opFields.build());
            types.put(name + "_" + op + "_order_by", opOrder.build());
            fields.field(GraphQLFieldDefinition.newFieldDefinition().name(op).type(ref(name + "_" + op + "_fields")));
            aggregateOrderBy.field(inputField(op, ref(name + "_" + op + "_order_by")));
        }
        types.put(name + "_aggregate_fields", fields.build());
        types.put(name + "_aggregate_order_by", aggregateOrderBy.build());
        GraphQLObjectType.Builder aggregate = GraphQLObjectType.newObject().name(name + "_aggregate")
                .description("aggregated selection of \"" + table.name() + "\"")
                .field(GraphQLFieldDefinition.newFieldDefinition().name("aggregate").type(ref(name + "_aggregate_fields")));
        if (selectable(table)) {
            aggregate.field(GraphQLFieldDefinition.newFieldDefinition().name("nodes").type(nonNullList(ref(name))));
        }
        types.put(name + "_aggregate", aggregate.build());
    }

    /**
     * Whether the role sees any field of the table's rows. A role may be allowed a table's
     * aggregates and none of its columns (Hasura's {@code columns: []} with {@code allow_aggregations}):
     * it counts the rows and sees nothing of them, so the table has no object type, no select or
     * by-key field, no {@code nodes} and no relationship leading to its rows.
     */
    private boolean selectable(TableModel table) {
        return !access.columns(table).isEmpty() || !access.relationships(table).isEmpty()
                || !access.remoteRelationships(table).isEmpty() || !access.computedFields(table).isEmpty();
    }

    private List<GraphQLArgument> selectArguments(TableModel table) {
        String name = table.typeName();
        return List.of(
                GraphQLArgument.newArgument().name("distinct_on").description("distinct select on columns")
                        .type(GraphQLList.list(GraphQLNonNull.nonNull(ref(name + "_select_column")))).build(),
                GraphQLArgument.newArgument().name("limit").description("limit the number of rows returned")
                        .type(Scalars.GraphQLInt).build(),
                GraphQLArgument.newArgument().name("offset").description("skip the first n rows. Use only with order_by")
                        .type(Scalars.GraphQLInt).build(),
                GraphQLArgument.newArgument().name("order_by").description("sort the rows by one or more columns")
                        .type(GraphQLList.list(GraphQLNonNull.nonNull(ref(name + "_order_by")))).build(),
                GraphQLArgument.newArgument().name("where").description("filter the rows returned")
                        .type(ref(name + "_bool_exp")).build());
    }

    /**
     * {@code t_stream(batch_size: Int!, cursor: [t_stream_cursor_input]!, where: t_bool_exp)}, as Hasura's
     * streaming subscriptions: the rows after the cursor, in its order, at most {@code batch_size} at a time
     * (Note [Streaming subscriptions] in {@code subscription.StreamCursor}).
     */
    /**
     * Whether the role may stream the table: a cursor needs a column it can order by (not an array, not json).
     * A role allowed only such columns, or only computed fields, gets no {@code t_stream}: its cursor input
     * would have no field, and an input type without one fails the role's whole schema.
     */
    private boolean streamable(TableModel table) {
        return access.columns(table).stream().anyMatch(column -> !column.array() && !column.kind().json());
    }

    private GraphQLFieldDefinition streamField(TableModel table) {
        String name = table.typeName();
        types.putIfAbsent(STREAM_ORDERING, GraphQLEnumType.newEnum().name(STREAM_ORDERING).description("ordering argument of a cursor")
                .value("ASC", "ASC", "ascending ordering of the cursor")
                .value("DESC", "DESC", "descending ordering of the cursor").build());
        GraphQLInputObjectType.Builder value = GraphQLInputObjectType.newInputObject().name(name + "_stream_cursor_value_input")
                .description("Initial value of the column from where the streaming should start");
        for (ColumnModel column : access.columns(table)) {
            if (!column.array() && !column.kind().json()) {
                value.field(GraphQLInputObjectField.newInputObjectField().name(column.graphqlName()).type(columnInputType(column)));
            }
        }
        types.put(name + "_stream_cursor_value_input", value.build());
        types.put(name + "_stream_cursor_input", GraphQLInputObjectType.newInputObject().name(name + "_stream_cursor_input")
                .description("Streaming cursor of the table \"" + table.name().name() + "\"")
                .field(GraphQLInputObjectField.newInputObjectField().name("initial_value").description("Stream column input with initial value")
                        .type(GraphQLNonNull.nonNull(ref(name + "_stream_cursor_value_input"))))
                .field(GraphQLInputObjectField.newInputObjectField().name("ordering").description("cursor ordering")
                        .type(ref(STREAM_ORDERING)))
                .build());
        return GraphQLFieldDefinition.newFieldDefinition().name(table.selectField() + STREAM_SUFFIX)
                .description("fetch data from the table in a streaming manner: \"" + table.name() + "\"")
                .argument(GraphQLArgument.newArgument().name("batch_size").description("maximum number of rows returned in a single batch")
                        .type(GraphQLNonNull.nonNull(Scalars.GraphQLInt)))
                .argument(GraphQLArgument.newArgument().name("cursor").description("cursor to stream the results returned by the query")
                        .type(GraphQLNonNull.nonNull(GraphQLList.list(ref(name + "_stream_cursor_input")))))
                .argument(GraphQLArgument.newArgument().name("where").description("filter the rows returned").type(ref(name + "_bool_exp")))
                .type(nonNullList(ref(name)))
                .build();
    }

    /** A column's type; nullable when {@code redacted} (null in some rows: Note [Redacted cells] in {@link InheritedRoles}). */
    private GraphQLOutputType columnOutputType(ColumnModel column, boolean redacted) {
        GraphQLOutputType scalar = (GraphQLOutputType) valueType(column);
        GraphQLOutputType type = column.array() ? GraphQLList.list(GraphQLNonNull.nonNull(scalar)) : scalar;
        return column.nullable() || redacted ? type : GraphQLNonNull.nonNull(type);
    }

    private GraphQLInputType columnInputType(ColumnModel column) {
        GraphQLInputType scalar = (GraphQLInputType) valueType(column);
        return column.array() ? GraphQLList.list(GraphQLNonNull.nonNull(scalar)) : scalar;
    }

    private GraphQLInputType comparisonType(ColumnModel column) {
        String scalarName = column.scalar();
        String name = column.array() ? "_" + scalarName + "_comparison_exp" : scalarName + "_comparison_exp";
        if (types.containsKey(name)) {
            return ref(name);
        }
        GraphQLInputType value = columnInputType(column);
        GraphQLInputObjectType.Builder exp = GraphQLInputObjectType.newInputObject().name(name)
                .description("Boolean expression to compare columns of type \"" + (column.array() ? scalarName + "[]" : scalarName)
                        + "\". All fields are combined with logical 'AND'.");
        if (column.enumReference()) {
            // An enum's values are only equal or not, as in Hasura: no ordering, no text operators.
            exp.field(inputField("_eq", value));
            exp.field(inputField("_in", GraphQLList.list(GraphQLNonNull.nonNull(value))));
            exp.field(inputField("_is_null", Scalars.GraphQLBoolean));
            exp.field(inputField("_neq", value));
            exp.field(inputField("_nin", GraphQLList.list(GraphQLNonNull.nonNull(value))));
            types.put(name, exp.build());
            return ref(name);
        }
        for (String op : List.of("_eq", "_gt", "_gte", "_lt", "_lte", "_neq")) {
            exp.field(inputField(op, value));
        }
        exp.field(inputField("_in", GraphQLList.list(GraphQLNonNull.nonNull(value))));
        exp.field(inputField("_nin", GraphQLList.list(GraphQLNonNull.nonNull(value))));
        exp.field(inputField("_is_null", Scalars.GraphQLBoolean));
        if (column.array()) {
            exp.field(inputField("_contains", value));
            exp.field(inputField("_contained_in", value));
        } else if (column.kind().textual()) {
            for (String op : List.of("_ilike", "_iregex", "_like", "_nilike", "_niregex", "_nlike", "_nregex", "_nsimilar", "_regex", "_similar")) {
                exp.field(inputField(op, value));
            }
        } else if (column.kind() == ScalarKind.JSONB) {
            exp.field(inputField("_cast", castExp(column)));
            exp.field(inputField("_contained_in", value));
            exp.field(inputField("_contains", value));
            exp.field(inputField("_has_key", Scalars.GraphQLString));
            exp.field(inputField("_has_keys_all", GraphQLList.list(GraphQLNonNull.nonNull(Scalars.GraphQLString))));
            exp.field(inputField("_has_keys_any", GraphQLList.list(GraphQLNonNull.nonNull(Scalars.GraphQLString))));
        } else {
            new ExtensionComparisons(types, this::scalarType, this::comparisonType).add(column, exp);
        }
        types.put(name, exp.build());
        return ref(name);
    }

    private GraphQLInputType castExp(ColumnModel column) {
        String name = column.scalar() + "_cast_exp";
        if (!types.containsKey(name)) {
            ColumnModel asText = new ColumnModel(column.column(), column.graphqlName(), "text", "String", ScalarKind.STRING, false, true);
            types.put(name, GraphQLInputObjectType.newInputObject().name(name)
                    .field(inputField("String", comparisonType(asText))).build());
        }
        return ref(name);
    }

    /** The GraphQL type of one value of a column: its scalar, or the enum of the enum table it references. */
    private GraphQLType valueType(ColumnModel column) {
        if (!column.enumReference()) {
            return scalarType(column.scalar());
        }
        EnumTypeModel enumType = column.enumType();
        return types.computeIfAbsent(enumType.name(), name -> {
            GraphQLEnumType.Builder values = GraphQLEnumType.newEnum().name(name);
            // The value is the text as stored, so a variable of this type binds as that text.
            enumType.values().forEach(value -> values.value(value.value(), value.value(), value.description()));
            return values.build();
        });
    }

    private GraphQLType scalarType(String name) {
        return switch (name) {
            case "Int" -> Scalars.GraphQLInt;
            case "Float" -> Scalars.GraphQLFloat;
            case "String" -> Scalars.GraphQLString;
            case "Boolean" -> Scalars.GraphQLBoolean;
            default -> {
                GraphQLType existing = types.get(name);
                if (existing == null) {
                    existing = JsonScalars.scalar(name);
                    types.put(name, existing);
                }
                yield existing;
            }
        };
    }

    private static GraphQLEnumType orderByEnum() {
        return GraphQLEnumType.newEnum().name("order_by").description("column ordering options")
                .value("asc", "asc", "in ascending order, nulls last")
                .value("asc_nulls_first", "asc_nulls_first", "in ascending order, nulls first")
                .value("asc_nulls_last", "asc_nulls_last", "in ascending order, nulls last")
                .value("desc", "desc", "in descending order, nulls first")
                .value("desc_nulls_first", "desc_nulls_first", "in descending order, nulls first")
                .value("desc_nulls_last", "desc_nulls_last", "in descending order, nulls last")
                .build();
    }

    private static GraphQLInputObjectField inputField(String name, GraphQLInputType type) {
        return GraphQLInputObjectField.newInputObjectField().name(name).type(type).build();
    }

    private static GraphQLTypeReference ref(String name) {
        return GraphQLTypeReference.typeRef(name);
    }

    private static GraphQLOutputType nonNullList(GraphQLOutputType item) {
        return GraphQLNonNull.nonNull(GraphQLList.list(GraphQLNonNull.nonNull(item)));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
