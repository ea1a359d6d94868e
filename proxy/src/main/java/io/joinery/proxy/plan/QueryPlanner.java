package io.joinery.proxy.plan;

import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.Directive;
import graphql.language.EnumValue;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import io.joinery.admin.metadata.SelectPermission;
import io.joinery.policies.Session;
import io.joinery.proxy.remote.RemoteSchema;
import io.joinery.proxy.schema.ColumnModel;
import io.joinery.proxy.schema.ComputedFieldModel;
import io.joinery.proxy.schema.GraphqlSchemaBuilder;
import io.joinery.proxy.schema.JsonScalars;
import io.joinery.proxy.schema.RelationshipModel;
import io.joinery.proxy.schema.RemoteRelationshipModel;
import io.joinery.proxy.schema.RemoteTypeRelationship;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.schema.ScalarKind;
import io.joinery.proxy.schema.TableModel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a validated operation into a {@link QueryPlan}. Fragments are inlined, {@code @skip} and
 * {@code @include} applied, fields merged by response key. Scalar variables (and variables of an
 * enum table's enum, which are values too) become {@link PlanValue.Variable} references; variables
 * that shape the plan ({@code structural}: input objects, other enums, Booleans) are read from
 * {@code variables}, and the plan cache keys on their values.
 */
public final class QueryPlanner {

    /** Hasura's column comparison operators of permissions ({@code _cne} is {@code _cneq}'s other spelling). */
    private static final Set<String> COLUMN_COMPARISONS = Set.of("_ceq", "_cne", "_cneq", "_cgt", "_clt", "_cgte", "_clte");

    private final RoleAccess access;
    private final Map<String, FragmentDefinition> fragments;
    private final Map<String, Object> variables;
    private final Set<String> structural;
    private List<VariableDefinition> variableDefinitions = List.of();
    /** While planning a permission filter: the table it is for, which {@code ["$", column]} refers to. */
    private TableModel permissionRoot;
    /** Whether the permission filter being planned refers to {@link #permissionRoot}. */
    private boolean rootReferenced;
    /** See Note [Limits on the callers' boolean expressions]. */
    private int maxInputDepth = 12;
    private int maxInputNodes = 512;
    private int inputDepth;
    private int inputNodes;
    /** The response keys down to the field being planned, and the way into its argument: for the path of an error. */
    private final Deque<String> selectionPath = new ArrayDeque<>();
    private final Deque<String> inputPath = new ArrayDeque<>();

    public QueryPlanner(RoleAccess access, Map<String, FragmentDefinition> fragments, Map<String, Object> variables,
                        Set<String> structural) {
        this.access = access;
        this.fragments = fragments;
        this.variables = variables;
        this.structural = structural;
    }

    /**
     * Note [Limits on the callers' boolean expressions]: Postgres' planning time grows steeply with the
     * nesting of a {@code where} (each relationship is a subquery with its permission filter), so a
     * caller's {@code where} may nest at most {@code maxDepth} boolean expressions (each {@code _and},
     * {@code _or}, {@code _not}, relationship or {@code _exists} is a level; an {@code order_by} through
     * object relationships counts its hops), and the {@code where}, {@code order_by} and
     * {@code distinct_on} arguments of one operation hold at most {@code maxNodes} conditions, literals
     * and variables alike. Past either, the operation is refused (validation-failed, with the path)
     * before any SQL. Permission filters are the admin's and do not count.
     */
    public QueryPlanner limitInput(int maxDepth, int maxNodes) {
        this.maxInputDepth = maxDepth;
        this.maxInputNodes = maxNodes;
        return this;
    }

    public QueryPlan plan(OperationDefinition operation) {
        String type = operation.getOperation().name().toLowerCase(Locale.ROOT);
        this.variableDefinitions = operation.getVariableDefinitions();
        List<RootField> roots = new ArrayList<>();
        if (operation.getOperation() == OperationDefinition.Operation.MUTATION) {
            for (Map.Entry<String, List<Field>> entry : collect(operation.getSelectionSet(), GraphqlSchemaBuilder.MUTATION_ROOT).entrySet()) {
                RootField root = remoteMutation(entry.getKey(), entry.getValue().getFirst());
                roots.add(root);
            }
            return new QueryPlan(type, operation.getName(), roots);
        }
        if (operation.getOperation() != OperationDefinition.Operation.QUERY) {
            throw new PlanException(type + " operations are not supported yet", "$");
        }
        for (Map.Entry<String, List<Field>> entry : collect(operation.getSelectionSet(), GraphqlSchemaBuilder.QUERY_ROOT).entrySet()) {
            selectionPath.addLast(entry.getKey());
            try {
                roots.add(root(entry.getKey(), entry.getValue()));
            } finally {
                selectionPath.removeLast();
            }
        }
        return new QueryPlan(type, operation.getName(), roots);
    }

    private RootField root(String alias, List<Field> fields) {
        Field field = fields.getFirst();
        String name = field.getName();
        if (name.equals("__typename")) {
            return new RootField.Typename(alias, GraphqlSchemaBuilder.QUERY_ROOT);
        }
        if (name.equals("__schema") || name.equals("__type")) {
            return new RootField.Introspection(alias);
        }
        for (TableModel table : access.tables()) {
            if (name.equals(table.selectField())) {
                return new RootField.SelectMany(alias, select(table, field), fields(table, fields));
            }
            if (name.equals(table.byPkField())) {
                return new RootField.SelectByPk(alias, byPk(table, field), fields(table, fields));
            }
            if (name.equals(table.aggregateField())) {
                return new RootField.SelectAggregate(alias, select(table, field), aggregateParts(table, fields));
            }
        }
        for (ComputedFieldModel function : access.functions()) {
            if (name.equals(function.name())) {
                TableModel target = access.model().table(function.target());
                return new RootField.SelectFunction(alias, function, functionArguments(function, field), select(target, field),
                        fields(target, fields));
            }
            if (name.equals(function.name() + "_aggregate") && access.aggregations(access.model().table(function.target()))) {
                TableModel target = access.model().table(function.target());
                return new RootField.SelectFunctionAggregate(alias, function, functionArguments(function, field), select(target, field),
                        aggregateParts(target, fields));
            }
        }
        for (RemoteSchema remote : access.remotes()) {
            String namespace = remote.config().customization().rootFieldsNamespace();
            if (namespace != null) {
                if (namespace.equals(name)) {
                    return namespaceRoot(alias, remote, fields, remote.schema().getQueryType(), namespace + "_query");
                }
                continue;
            }
            if (remote.schema().getQueryType().getFieldDefinition(name) != null) {
                return remoteRoot(alias, remote, merged(fields));
            }
        }
        throw new PlanException("field '" + name + "' not found in type: '" + GraphqlSchemaBuilder.QUERY_ROOT + "'", "$.selectionSet." + name);
    }

    private RootField remoteMutation(String alias, Field field) {
        for (RemoteSchema remote : access.remotes()) {
            String namespace = remote.config().customization().rootFieldsNamespace();
            if (namespace != null && namespace.equals(field.getName()) && remote.schema().getMutationType() != null) {
                return namespaceRoot(alias, remote, List.of(field), remote.schema().getMutationType(), namespace + "_mutation");
            }
            if (namespace == null && remote.schema().getMutationType() != null && remote.schema().getMutationType().getFieldDefinition(field.getName()) != null) {
                AnswerJoins joins = new AnswerJoins();
                GraphQLFieldDefinition definition = remote.schema().getMutationType().getFieldDefinition(field.getName());
                return new RootField.Remote(alias, remote.name(), toRemote(remote, rewriteField(field, definition.getType(), remote, List.of(), joins)),
                        joins.tables, joins.remotes(), false);
            }
        }
        throw new PlanException("field '" + field.getName() + "' not found in type: '" + GraphqlSchemaBuilder.MUTATION_ROOT + "'", "$.selectionSet." + field.getName());
    }

    private RootField remoteRoot(String alias, RemoteSchema remote, Field field) {
        AnswerJoins joins = new AnswerJoins();
        GraphQLFieldDefinition definition = remote.schema().getQueryType().getFieldDefinition(field.getName());
        return new RootField.Remote(alias, remote.name(), toRemote(remote, rewriteField(field, definition.getType(), remote, List.of(), joins)),
                joins.tables, joins.remotes(), false);
    }

    /**
     * A remote's namespace field ({@code profiles { profile(…) {…} }}): its sub-fields are the
     * remote's root fields, sent as one request; the answer is wrapped back under the namespace.
     */
    private RootField namespaceRoot(String alias, RemoteSchema remote, List<Field> fields,
                                    GraphQLObjectType rootType, String namespaceType) {
        AnswerJoins joins = new AnswerJoins();
        List<Selection> selections = new ArrayList<>();
        for (Map.Entry<String, List<Field>> entry : subFields(fields, namespaceType).entrySet()) {
            Field field = merged(entry.getValue());
            if (field.getName().equals("__typename")) {
                selections.add(field);
                continue;
            }
            GraphQLFieldDefinition definition = rootType.getFieldDefinition(field.getName());
            List<String> path = List.of(field.getResultKey());
            selections.add(toRemote(remote, rewriteField(field, definition.getType(), remote, path, joins)));
        }
        Field namespace = fields.getFirst().transform(b -> b.selectionSet(SelectionSet.newSelectionSet().selections(selections).build()));
        return new RootField.Remote(alias, remote.name(), namespace, joins.tables, joins.remotes(), true);
    }

    /** The remote's names in what is sent to it; see Note [Customized remote type names] in {@link RemoteRenames}. */
    private Field toRemote(RemoteSchema remote, Field field) {
        if (!RemoteRenames.renames(remote.config()) || field.getSelectionSet() == null) {
            return field;
        }
        return field.transform(b -> b.selectionSet(RemoteRenames.toRemote(field.getSelectionSet(), fragments, remote.config())));
    }

    /**
     * The tables and remote schemas joined into one remote field's answer, found while its
     * selection is rewritten; a relationship to a remote schema selected more than once at the same
     * place (through fragments, say) is one join of all its selections.
     */
    private static final class AnswerJoins {
        final List<RemoteTableJoin> tables = new ArrayList<>();
        private final Map<List<String>, RemoteSchemaJoin> remotes = new LinkedHashMap<>();
        private final Map<List<String>, List<Field>> remoteFields = new LinkedHashMap<>();

        List<RemoteSchemaJoin> remotes() {
            return List.copyOf(remotes.values());
        }
    }

    /**
     * The remote's part of a field: relationship fields to tables ({@code Profile.author}) and to
     * remote schemas ({@code Profile.account}) are taken out and planned as {@link RemoteTableJoin}s
     * and {@link RemoteSchemaJoin}s, their key fields selected under phantom aliases instead;
     * fragment spreads around them are inlined. Abstract types pass as they are.
     */
    private Field rewriteField(Field field, GraphQLOutputType type, RemoteSchema remote,
                                                List<String> path, AnswerJoins joins) {
        if (field.getSelectionSet() == null || !access.model().hasTypeRelationships(remote.name())
                || !(unwrap(type) instanceof GraphQLObjectType object)) {
            return field;
        }
        SelectionSet set = rewriteSet(field.getSelectionSet(), object, remote, path, joins);
        return field.transform(b -> b.selectionSet(set));
    }

    @SuppressWarnings("rawtypes")
    private SelectionSet rewriteSet(SelectionSet set, GraphQLObjectType type, RemoteSchema remote, List<String> path,
                                    AnswerJoins joins) {
        Map<String, RemoteTypeRelationship> relationships = new LinkedHashMap<>();
        for (var relationship : access.model().relationshipsOf(remote.name(), type.getName())) {
            if (access.visible(access.model().table(relationship.relationship().target()))) {
                relationships.put(relationship.relationship().name(), relationship);
            }
        }
        Map<String, RemoteRelationshipModel> remoteRelationships = new LinkedHashMap<>();
        for (var relationship : access.model().remoteRelationshipsOf(remote.name(), type.getName())) {
            remoteRelationships.put(relationship.relationship().name(), relationship.relationship());
        }
        List<Selection> out = new ArrayList<>();
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field -> {
                    var relationship = relationships.get(field.getName());
                    if (relationship != null) {
                        if (included(field.getDirectives())) {
                            joins.tables.add(tableJoin(field, relationship.relationship(), path, out));
                        }
                        continue;
                    }
                    RemoteRelationshipModel remoteRelationship = remoteRelationships.get(field.getName());
                    if (remoteRelationship != null) {
                        if (included(field.getDirectives())) {
                            remoteSchemaJoin(field, remoteRelationship, path, joins, out);
                        }
                        continue;
                    }
                    GraphQLFieldDefinition definition = type.getFieldDefinition(field.getName());
                    if (definition == null) {
                        out.add(field);
                        continue;
                    }
                    List<String> child = new ArrayList<>(path);
                    child.add(field.getResultKey());
                    out.add(rewriteField(field, definition.getType(), remote, child, joins));
                }
                case InlineFragment inline -> {
                    boolean applies = inline.getTypeCondition() == null
                            || RemoteRenames.original(remote.config(), inline.getTypeCondition().getName()).equals(type.getName());
                    out.add(applies ? inline.transform(b -> b.selectionSet(rewriteSet(inline.getSelectionSet(), type, remote, path, joins))) : inline);
                }
                case FragmentSpread spread -> {
                    FragmentDefinition fragment = fragments.get(spread.getName());
                    if (fragment != null && RemoteRenames.original(remote.config(), fragment.getTypeCondition().getName()).equals(type.getName())) {
                        out.add(InlineFragment.newInlineFragment().typeCondition(fragment.getTypeCondition())
                                .directives(spread.getDirectives())
                                .selectionSet(rewriteSet(fragment.getSelectionSet(), type, remote, path, joins)).build());
                    } else {
                        out.add(spread);
                    }
                }
                default -> out.add(selection);
            }
        }
        return SelectionSet.newSelectionSet().selections(out).build();
    }

    /**
     * A remote schema joined into a remote answer at {@code path}: its key fields go into the
     * parent's selection under phantom aliases (once per place), its own selection is rewritten
     * for the target remote, joins into its answer included. A second selection of the same
     * response key at the same place merges into the first's join.
     */
    @SuppressWarnings("rawtypes")
    private void remoteSchemaJoin(Field field, RemoteRelationshipModel relationship, List<String> path, AnswerJoins joins,
                                  List<Selection> out) {
        String alias = field.getResultKey();
        List<String> place = new ArrayList<>(path);
        place.add(alias);
        List<Field> fields = joins.remoteFields.computeIfAbsent(List.copyOf(place), p -> new ArrayList<>());
        fields.add(field);
        List<String> keyAliases = relationship.keyColumns().stream().map(key -> JoinSpec.PHANTOM_PREFIX + alias + "_" + key).toList();
        if (fields.size() == 1) {
            for (int i = 0; i < keyAliases.size(); i++) {
                out.add(Field.newField(relationship.keyColumns().get(i)).alias(keyAliases.get(i)).build());
            }
        }
        RemoteSchema target = access.model().remotes().get(relationship.remote());
        AnswerJoins inner = new AnswerJoins();
        Field rewritten = toRemote(target, rewriteField(merged(fields), relationship.type(), target, List.of(), inner));
        RowField.RemoteJoin join = new RowField.RemoteJoin(alias, new JoinSpec(alias, target.name(), relationship.keyColumns(), relationship.path(),
                rewritten.getSelectionSet(), fragments, variableDefinitions), inner.tables, inner.remotes());
        joins.remotes.put(List.copyOf(place), new RemoteSchemaJoin(path, join, keyAliases));
    }

    @SuppressWarnings("rawtypes")
    private RemoteTableJoin tableJoin(Field field, RelationshipModel relationship, List<String> path, List<Selection> out) {
        TableModel target = access.model().table(relationship.target());
        String alias = field.getResultKey();
        List<String> keyAliases = new ArrayList<>();
        for (String remoteField : relationship.mapping().keySet()) {
            String key = JoinSpec.PHANTOM_PREFIX + alias + "_" + remoteField;
            keyAliases.add(key);
            out.add(Field.newField(remoteField).alias(key).build());
        }
        Select select = relationship.array() ? select(target, field) : objectSelect(target);
        return new RemoteTableJoin(path, alias, relationship, target.source(), select, fields(target, List.of(field)), keyAliases);
    }

    /** A relationship to a table of another source: keyed by this row's columns, run on the other database. */
    private RemoteTableJoin sourceJoin(RelationshipModel relationship, TableModel target, Field field,
                                       List<Field> fields) {
        List<String> keyAliases = relationship.mapping().keySet().stream()
                .map(column -> JoinSpec.PHANTOM_PREFIX + field.getResultKey() + "_" + column).toList();
        Select select = relationship.array() ? select(target, field) : objectSelect(target);
        return new RemoteTableJoin(List.of(), field.getResultKey(), relationship, target.source(), select, fields(target, fields), keyAliases);
    }

    /** The named type under any list and non-null wrappers. */
    private static GraphQLType unwrap(GraphQLType type) {
        return GraphQLTypeUtil.unwrapAll(type);
    }

    /** Fields sharing a response key, as one field whose selection holds all of theirs. */
    private static Field merged(List<Field> fields) {
        Field first = fields.getFirst();
        if (fields.size() == 1) {
            return first;
        }
        List<Selection> selections = new ArrayList<>();
        fields.forEach(f -> {
            if (f.getSelectionSet() != null) {
                selections.addAll(f.getSelectionSet().getSelections());
            }
        });
        return first.transform(b -> b.selectionSet(SelectionSet.newSelectionSet().selections(selections).build()));
    }

    // ---- selections

    private Map<String, List<Field>> collect(SelectionSet set, String typeName) {
        Map<String, List<Field>> out = new LinkedHashMap<>();
        collectInto(set, typeName, out);
        return out;
    }

    private void collectInto(SelectionSet set, String typeName, Map<String, List<Field>> out) {
        if (set == null) {
            return;
        }
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field -> {
                    if (included(field.getDirectives())) {
                        out.computeIfAbsent(field.getResultKey(), k -> new ArrayList<>()).add(field);
                    }
                }
                case InlineFragment inline -> {
                    boolean applies = inline.getTypeCondition() == null || inline.getTypeCondition().getName().equals(typeName);
                    if (applies && included(inline.getDirectives())) {
                        collectInto(inline.getSelectionSet(), typeName, out);
                    }
                }
                case FragmentSpread spread -> {
                    FragmentDefinition fragment = fragments.get(spread.getName());
                    if (fragment != null && fragment.getTypeCondition().getName().equals(typeName) && included(spread.getDirectives())) {
                        collectInto(fragment.getSelectionSet(), typeName, out);
                    }
                }
                default -> throw new PlanException("unsupported selection", "$");
            }
        }
    }

    private boolean included(List<Directive> directives) {
        for (Directive directive : directives) {
            if (directive.getName().equals("skip") && bool(directive.getArgument("if").getValue())) {
                return false;
            }
            if (directive.getName().equals("include") && !bool(directive.getArgument("if").getValue())) {
                return false;
            }
        }
        return true;
    }

    /** The merged sub-selection of all fields sharing one response key. */
    private Map<String, List<Field>> subFields(List<Field> fields, String typeName) {
        Map<String, List<Field>> out = new LinkedHashMap<>();
        for (Field field : fields) {
            collectInto(field.getSelectionSet(), typeName, out);
        }
        return out;
    }

    private List<RowField> fields(TableModel table, List<Field> parents) {
        List<RowField> out = new ArrayList<>();
        for (Map.Entry<String, List<Field>> entry : subFields(parents, table.typeName()).entrySet()) {
            selectionPath.addLast(entry.getKey());
            try {
                out.add(field(table, entry.getKey(), entry.getValue()));
            } finally {
                selectionPath.removeLast();
            }
        }
        return out;
    }

    private RowField field(TableModel table, String alias, List<Field> fields) {
        Field field = fields.getFirst();
        String name = field.getName();
        if (name.equals("__typename")) {
            return new RowField.Typename(alias, table.typeName());
        }
        for (ColumnModel column : access.columns(table)) {
            if (column.graphqlName().equals(name)) {
                return new RowField.Column(alias, column);
            }
        }
        for (RelationshipModel relationship : access.relationships(table)) {
            TableModel target = access.model().table(relationship.target());
            if (relationship.name().equals(name) && !target.source().equals(table.source())) {
                return new RowField.SourceJoin(alias, sourceJoin(relationship, target, field, fields));
            }
            if (relationship.name().equals(name)) {
                return relationship.array()
                        ? new RowField.ArrayRelation(alias, relationship, select(target, field), fields(target, fields))
                        : new RowField.ObjectRelation(alias, relationship, objectSelect(target), fields(target, fields));
            }
            if (relationship.array() && (relationship.name() + "_aggregate").equals(name)) {
                return new RowField.ArrayAggregate(alias, relationship, select(target, field), aggregateParts(target, fields));
            }
        }
        for (ComputedFieldModel computed : access.computedFields(table)) {
            if (computed.name().equals(name)) {
                return computedField(alias, computed, field, fields);
            }
        }
        for (RemoteRelationshipModel remote : access.remoteRelationships(table)) {
            if (remote.name().equals(name)) {
                RemoteSchema remoteSchema = access.model().remotes().get(remote.remote());
                AnswerJoins joins = new AnswerJoins();
                Field rewritten = toRemote(remoteSchema, rewriteField(merged(fields), remote.type(), remoteSchema, List.of(), joins));
                return new RowField.RemoteJoin(alias, new JoinSpec(alias, remote.remote(), remote.keyColumns(), remote.path(),
                        rewritten.getSelectionSet(), fragments, variableDefinitions), joins.tables, joins.remotes());
            }
        }
        throw new PlanException("field '" + name + "' not found in type: '" + table.typeName() + "'", "$.selectionSet." + name);
    }

    /** A computed field: its {@code args} by argument name; for one returning rows, the select of its target table. */
    private RowField computedField(String alias, ComputedFieldModel computed, Field field, List<Field> fields) {
        Map<String, PlanValue> arguments = functionArguments(computed, field);
        if (!computed.returnsRows()) {
            return new RowField.Computed(alias, computed, arguments);
        }
        TableModel target = access.model().table(computed.target());
        return new RowField.ComputedRows(alias, computed, arguments, select(target, field), fields(target, fields));
    }

    /** The {@code args} of a computed field or tracked function, by argument name. */
    private Map<String, PlanValue> functionArguments(ComputedFieldModel function, Field field) {
        Map<String, PlanValue> arguments = new LinkedHashMap<>();
        Object args = argument(field, "args");
        if (args != null && !isNull(args)) {
            for (Map.Entry<String, Object> entry : object(args).entrySet()) {
                if (function.input(entry.getKey()).isEmpty()) {
                    throw new PlanException("field '" + entry.getKey() + "' not found in type: '" + function.argsType() + "'", "$");
                }
                arguments.put(entry.getKey(), leaf(entry.getValue()));
            }
        }
        return arguments;
    }

    private List<AggregatePart> aggregateParts(TableModel table, List<Field> parents) {
        List<AggregatePart> parts = new ArrayList<>();
        String typeName = table.typeName() + "_aggregate";
        for (Map.Entry<String, List<Field>> entry : subFields(parents, typeName).entrySet()) {
            String alias = entry.getKey();
            String name = entry.getValue().getFirst().getName();
            switch (name) {
                case "__typename" -> parts.add(new AggregatePart.Typename(alias, typeName));
                case "nodes" -> parts.add(new AggregatePart.Nodes(alias, fields(table, entry.getValue())));
                case "aggregate" -> parts.add(new AggregatePart.Aggregate(alias, aggregateFunctions(table, entry.getValue())));
                default -> throw new PlanException("field '" + name + "' not found in type: '" + typeName + "'", "$");
            }
        }
        return parts;
    }

    private List<AggregatePart.AggregateFunction> aggregateFunctions(TableModel table, List<Field> parents) {
        List<AggregatePart.AggregateFunction> functions = new ArrayList<>();
        String typeName = table.typeName() + "_aggregate_fields";
        for (Map.Entry<String, List<Field>> entry : subFields(parents, typeName).entrySet()) {
            Field field = entry.getValue().getFirst();
            String alias = entry.getKey();
            switch (field.getName()) {
                case "__typename" -> functions.add(new AggregatePart.AggregateTypename(alias, typeName));
                case "count" -> {
                    List<ColumnModel> columns = new ArrayList<>();
                    Object columnsArg = argument(field, "columns");
                    if (columnsArg != null && !isNull(columnsArg)) {
                        for (Object item : list(columnsArg)) {
                            columns.add(column(table, enumName(item)));
                        }
                    }
                    Object distinct = argument(field, "distinct");
                    functions.add(new AggregatePart.Count(alias, columns, distinct != null && !isNull(distinct) && bool(distinct)));
                }
                default -> {
                    String op = field.getName();
                    String opType = table.typeName() + "_" + op + "_fields";
                    List<AggregatePart.OpColumn> columns = new ArrayList<>();
                    for (Map.Entry<String, List<Field>> c : subFields(entry.getValue(), opType).entrySet()) {
                        String columnName = c.getValue().getFirst().getName();
                        columns.add(new AggregatePart.OpColumn(c.getKey(), columnName.equals("__typename") ? null : column(table, columnName)));
                    }
                    functions.add(new AggregatePart.ColumnsOp(alias, op, columns, opType));
                }
            }
        }
        return functions;
    }

    // ---- selects and arguments

    private Select select(TableModel table, Field field) {
        SelectPermission permission = access.permission(table).orElse(null);
        BoolExp where = BoolExp.and(whereArgument(table, argument(field, "where")), permissionFilter(table, permission));
        List<OrderBy> orderBy = new ArrayList<>();
        Object order = argument(field, "order_by");
        if (order != null && !isNull(order)) {
            List<Object> items = list(order);
            for (int i = 0; i < items.size(); i++) {
                inputPath.addLast(".order_by[" + i + "]");
                try {
                    orderTerms(table, items.get(i), List.of(), orderBy);
                } finally {
                    inputPath.removeLast();
                }
            }
        }
        List<ColumnModel> distinctOn = new ArrayList<>();
        Object distinct = argument(field, "distinct_on");
        if (distinct != null && !isNull(distinct)) {
            inputPath.addLast(".distinct_on");
            for (Object item : list(distinct)) {
                countInput();
                distinctOn.add(column(table, enumName(item)));
            }
            inputPath.removeLast();
            checkDistinctOrder(distinctOn, orderBy);
        }
        return new Select(table, where, orderBy, distinctOn, optionalLeaf(argument(field, "limit")),
                optionalLeaf(argument(field, "offset")), permission == null ? null : permission.limit());
    }

    private Select byPk(TableModel table, Field field) {
        List<BoolExp> keys = new ArrayList<>();
        for (String pk : table.primaryKey()) {
            ColumnModel column = table.column(pk).orElseThrow();
            keys.add(new BoolExp.Compare(column, "_eq", leaf(argument(field, column.graphqlName()))));
        }
        SelectPermission permission = access.permission(table).orElse(null);
        return new Select(table, BoolExp.and(new BoolExp.And(keys), permissionFilter(table, permission)), List.of(),
                List.of(), null, null, null);
    }

    private Select objectSelect(TableModel table) {
        return new Select(table, permissionFilter(table, access.permission(table).orElse(null)), List.of(), List.of(),
                null, null, null);
    }

    private void checkDistinctOrder(List<ColumnModel> distinctOn, List<OrderBy> orderBy) {
        for (int i = 0; i < Math.min(distinctOn.size(), orderBy.size()); i++) {
            OrderBy term = orderBy.get(i);
            boolean same = term.path().isEmpty() && term.target() instanceof OrderBy.ByColumn(ColumnModel c)
                    && distinctOn.contains(c);
            if (!same) {
                throw new PlanException("\"distinct_on\" columns must match initial \"order_by\" columns", "$.args.distinct_on");
            }
        }
        if (!orderBy.isEmpty() && orderBy.size() < distinctOn.size()) {
            throw new PlanException("\"distinct_on\" columns must match initial \"order_by\" columns", "$.args.distinct_on");
        }
    }

    private void orderTerms(TableModel table, Object value, List<OrderBy.Hop> path, List<OrderBy> out) {
        for (Map.Entry<String, Object> entry : object(value).entrySet()) {
            String key = entry.getKey();
            Object term = entry.getValue();
            if (isNull(term)) {
                continue;
            }
            inputPath.addLast("." + key);
            try {
                orderTerm(table, key, term, path, out);
            } finally {
                inputPath.removeLast();
            }
        }
    }

    private void orderTerm(TableModel table, String key, Object term, List<OrderBy.Hop> path, List<OrderBy> out) {
        countInput();
        ColumnModel column = access.columns(table).stream().filter(c -> c.graphqlName().equals(key)).findFirst().orElse(null);
        if (column != null) {
            out.add(new OrderBy(path, new OrderBy.ByColumn(column), enumName(term)));
            return;
        }
        ComputedFieldModel computed = access.computedFields(table).stream()
                .filter(c -> c.name().equals(key) && c.orderable()).findFirst().orElse(null);
        if (computed != null) {
            out.add(new OrderBy(path, new OrderBy.ByComputed(computed), enumName(term)));
            return;
        }
        RelationshipModel relationship = relationship(table, key);
        TableModel target = access.model().table(relationship.target());
        BoolExp targetFilter = permissionFilter(target, access.permission(target).orElse(null));
        if (!relationship.array()) {
            if (path.size() + 2 > maxInputDepth) {
                throw inputLimit("the order_by is more than " + maxInputDepth + " levels deep; the limit is " + maxInputDepth);
            }
            List<OrderBy.Hop> next = new ArrayList<>(path);
            next.add(new OrderBy.Hop(relationship, target, targetFilter));
            orderTerms(target, term, next, out);
            return;
        }
        for (Map.Entry<String, Object> aggregate : object(term).entrySet()) {
            if (isNull(aggregate.getValue())) {
                continue;
            }
            if (aggregate.getKey().equals("count")) {
                out.add(new OrderBy(path, new OrderBy.ByAggregate(relationship, target, targetFilter, "count", null), enumName(aggregate.getValue())));
                continue;
            }
            for (Map.Entry<String, Object> opColumn : object(aggregate.getValue()).entrySet()) {
                if (!isNull(opColumn.getValue())) {
                    out.add(new OrderBy(path, new OrderBy.ByAggregate(relationship, target, targetFilter, aggregate.getKey(),
                            column(target, opColumn.getKey())), enumName(opColumn.getValue())));
                }
            }
        }
    }

    private RelationshipModel relationship(TableModel table, String name) {
        String base = name.endsWith("_aggregate") ? name.substring(0, name.length() - "_aggregate".length()) : name;
        return access.relationships(table).stream().filter(r -> r.name().equals(base)).findFirst()
                .orElseThrow(() -> new PlanException("field '" + name + "' not found in type: '" + table.typeName() + "'", "$"));
    }

    private ColumnModel column(TableModel table, String graphqlName) {
        return access.columns(table).stream().filter(c -> c.graphqlName().equals(graphqlName)).findFirst()
                .orElseThrow(() -> new PlanException("field '" + graphqlName + "' not found in type: '" + table.typeName() + "'", "$"));
    }

    // ---- boolean expressions

    private BoolExp whereArgument(TableModel table, Object where) {
        if (where == null || isNull(where)) {
            return BoolExp.TRUE;
        }
        inputPath.addLast(".where");
        try {
            return boolExp(table, where, false);
        } finally {
            inputPath.removeLast();
        }
    }

    /** One more condition of the caller's input. See Note [Limits on the callers' boolean expressions]. */
    private void countInput() {
        if (++inputNodes > maxInputNodes) {
            throw inputLimit("the where, order_by and distinct_on arguments of the operation have more than " + maxInputNodes
                    + " conditions; the limit is " + maxInputNodes);
        }
    }

    private PlanException inputLimit(String message) {
        return new PlanException(message, "$.selectionSet." + String.join(".selectionSet.", selectionPath) + ".args" + String.join("", inputPath));
    }

    private BoolExp permissionFilter(TableModel table, SelectPermission permission) {
        if (permission == null || permission.filter() == null || permission.filter().isNull() || permission.filter().isEmpty()) {
            return BoolExp.TRUE;
        }
        Object filter = JsonValues.toJava(permission.filter());
        RoleAccess admin = new RoleAccess(RoleAccess.ADMIN, access.model());
        QueryPlanner planner = new QueryPlanner(admin, fragments, variables, structural);
        planner.permissionRoot = table;
        BoolExp planned = planner.boolExp(table, filter, true);
        return planner.rootReferenced ? new BoolExp.PermissionRoot(planned) : planned;
    }

    /** A boolean expression: a caller's ({@code permission} false, within the limits) or a permission's filter. */
    BoolExp boolExp(TableModel table, Object value, boolean permission) {
        if (!permission && ++inputDepth > maxInputDepth) {
            throw inputLimit("the boolean expression is more than " + maxInputDepth + " levels deep; the limit is " + maxInputDepth);
        }
        try {
            List<BoolExp> terms = new ArrayList<>();
            for (Map.Entry<String, Object> entry : object(value).entrySet()) {
                if (!permission) {
                    countInput();
                }
                inputPath.addLast("." + entry.getKey());
                try {
                    terms.add(term(table, entry.getKey(), entry.getValue(), permission));
                } finally {
                    inputPath.removeLast();
                }
            }
            return terms.size() == 1 ? terms.getFirst() : new BoolExp.And(terms);
        } finally {
            if (!permission) {
                inputDepth--;
            }
        }
    }

    private BoolExp term(TableModel table, String key, Object operand, boolean permission) {
        return switch (key) {
            case "_and" -> new BoolExp.And(isNull(operand) ? List.of() : operands(table, operand, permission));
            case "_or" -> isNull(operand) ? BoolExp.TRUE : new BoolExp.Or(operands(table, operand, permission));
            case "_not" -> isNull(operand) ? BoolExp.TRUE : new BoolExp.Not(boolExp(table, operand, permission));
            case "_exists" -> exists(operand, permission);
            default -> columnOrRelationship(table, key, operand, permission);
        };
    }

    private List<BoolExp> operands(TableModel table, Object operand, boolean permission) {
        List<Object> items = list(operand);
        List<BoolExp> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            inputPath.addLast("[" + i + "]");
            try {
                out.add(boolExp(table, items.get(i), permission));
            } finally {
                inputPath.removeLast();
            }
        }
        return out;
    }

    private BoolExp exists(Object operand, boolean permission) {
        Map<String, Object> fields = object(operand);
        Map<String, Object> tableRef = object(fields.get("_table"));
        String schema = tableRef.containsKey("schema") ? String.valueOf(plain(tableRef.get("schema"))) : "public";
        String name = String.valueOf(plain(tableRef.get("name")));
        TableModel table = access.model().allTables().stream()
                .filter(t -> t.name().schema().equals(schema) && t.name().name().equals(name)).findFirst()
                .orElseThrow(() -> new PlanException("_exists: table " + schema + "." + name + " is not tracked", "$"));
        Object where = fields.get("_where");
        return new BoolExp.Exists(table, where == null || isNull(where) ? BoolExp.TRUE : boolExp(table, where, permission));
    }

    private BoolExp columnOrRelationship(TableModel table, String key, Object operand, boolean permission) {
        ColumnModel column = table.columnByGraphqlName(key).orElse(null);
        if (column == null && permission) {
            column = table.column(key).orElse(null);
        }
        if (column != null) {
            return comparisons(table, column, operand, permission);
        }
        ComputedFieldModel computed = table.computedFields().get(key);
        if (computed != null && computed.filterable()) {
            return computedFilter(computed, operand, permission);
        }
        RelationshipModel relationship = table.relationships().get(key);
        if (relationship == null) {
            throw new PlanException("field '" + key + "' not found in type: '" + table.typeName() + "_bool_exp'", "$");
        }
        TableModel target = access.model().table(relationship.target());
        BoolExp nested = isNull(operand) ? BoolExp.TRUE : boolExp(target, operand, permission);
        if (!permission) {
            nested = BoolExp.and(nested, permissionFilter(target, access.permission(target).orElse(null)));
        }
        return new BoolExp.Related(relationship, target, nested);
    }

    /**
     * A computed field without {@code args} in a filter: its scalar compared like a column, or some row of
     * its function matching, with the target's permission filter for the role as through a relationship.
     * Note [Computed fields in where and order_by] in {@link ComputedFieldModel}.
     */
    private BoolExp computedFilter(ComputedFieldModel computed, Object operand, boolean permission) {
        if (computed.returnsRows()) {
            TableModel target = access.model().table(computed.target());
            BoolExp nested = isNull(operand) ? BoolExp.TRUE : boolExp(target, operand, permission);
            if (!permission) {
                nested = BoolExp.and(nested, permissionFilter(target, access.permission(target).orElse(null)));
            }
            return new BoolExp.ComputedRows(computed, target, nested);
        }
        List<BoolExp> terms = new ArrayList<>();
        for (Map.Entry<String, Object> entry : object(operand).entrySet()) {
            if (isNull(entry.getValue()) && !entry.getKey().equals("_is_null")) {
                continue; // no condition, as for a column
            }
            if (COLUMN_COMPARISONS.contains(entry.getKey())) {
                throw new PlanException("operator " + entry.getKey() + " is not supported on computed field '" + computed.name() + "'", "$");
            }
            if (entry.getKey().equals("_cast")) {
                terms.addAll(computedCasts(computed, entry.getValue(), permission));
                continue;
            }
            terms.add(new BoolExp.ComputedCompare(computed,
                    new BoolExp.Compare(computed.scalar(), entry.getKey(), leaf(entry.getValue(), permission)), false));
        }
        return terms.size() == 1 ? terms.getFirst() : new BoolExp.And(terms);
    }

    /** {@code _cast: {String: {...}}} on a jsonb computed field: its value compared as text. */
    private List<BoolExp> computedCasts(ComputedFieldModel computed, Object casts, boolean permission) {
        ColumnModel asText = new ColumnModel(computed.name(), computed.name(), "text", "String",
                ScalarKind.STRING, false, true);
        List<BoolExp> terms = new ArrayList<>();
        for (Object cast : object(casts).values()) {
            object(cast).forEach((op, value) ->
                    terms.add(new BoolExp.ComputedCompare(computed, new BoolExp.Compare(asText, op, leaf(value, permission)), true)));
        }
        return terms;
    }

    private BoolExp comparisons(TableModel table, ColumnModel column, Object operand, boolean permission) {
        List<BoolExp> terms = new ArrayList<>();
        for (Map.Entry<String, Object> entry : object(operand).entrySet()) {
            String op = entry.getKey();
            Object value = entry.getValue();
            if (op.equals("_cast")) {
                for (Map.Entry<String, Object> cast : object(value).entrySet()) {
                    ColumnModel asText = new ColumnModel(column.column(), column.graphqlName(), "text", "String",
                            ScalarKind.STRING, false, true);
                    for (Map.Entry<String, Object> inner : object(cast.getValue()).entrySet()) {
                        terms.add(new BoolExp.Cast(column, "text", new BoolExp.Compare(asText, inner.getKey(), leaf(inner.getValue(), permission))));
                    }
                }
                continue;
            }
            if (permission && COLUMN_COMPARISONS.contains(op)) {
                terms.add(columnComparison(table, column, op, value));
                continue;
            }
            if (isNull(value) && !op.equals("_is_null")) {
                // A null comparison value is "no condition", as in Hasura v1 and in v2 with
                // HASURA_GRAPHQL_V1_BOOLEAN_NULL_COLLAPSE=true (v2 by default does not collapse it: #704, #6946).
                continue;
            }
            terms.add(new BoolExp.Compare(column, op, leaf(value, permission)));
        }
        return terms.size() == 1 ? terms.getFirst() : new BoolExp.And(terms);
    }

    /**
     * {@code {a: {_cgt: "b"}}}: column {@code b} of the same row; {@code ["$", "b"]}: of the row the
     * permission is for. Hasura writes them in permissions only; the consistency checks have made
     * sure the columns exist.
     */
    private BoolExp columnComparison(TableModel table, ColumnModel column, String op, Object value) {
        Object reference = plain(resolve(value));
        boolean root = reference instanceof List<?> path && path.size() == 2 && "$".equals(plain(path.get(0)));
        Object name = reference instanceof List<?> path ? plain(path.getLast()) : reference;
        TableModel in = root ? permissionRoot : table;
        ColumnModel other = in.column(String.valueOf(name)).orElse(null);
        if (other == null) {
            throw new PlanException("the permission compares " + column.column() + " with column " + name + ", which does not exist", "$");
        }
        rootReferenced |= root;
        return new BoolExp.ColumnCompare(column, op, other, root);
    }

    // ---- values: AST literals, variable references, or Java values of resolved variables

    private Object argument(Field field, String name) {
        Argument argument = field.getArguments().stream().filter(a -> a.getName().equals(name)).findFirst().orElse(null);
        return argument == null ? null : argument.getValue();
    }

    private Object resolve(Object value) {
        if (value instanceof VariableReference reference) {
            return variables.get(reference.getName());
        }
        return value;
    }

    private boolean isNull(Object value) {
        Object resolved = resolve(value);
        return resolved == null || resolved instanceof NullValue;
    }

    private Map<String, Object> object(Object value) {
        Object resolved = resolve(value);
        Map<String, Object> out = new LinkedHashMap<>();
        if (resolved instanceof ObjectValue object) {
            for (ObjectField field : object.getObjectFields()) {
                out.put(field.getName(), field.getValue());
            }
        } else if (resolved instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), v));
        } else if (resolved != null && !(resolved instanceof NullValue)) {
            throw new PlanException("expected an object, got " + resolved, "$");
        }
        return out;
    }

    private List<Object> list(Object value) {
        Object resolved = resolve(value);
        if (resolved instanceof ArrayValue array) {
            return new ArrayList<>(array.getValues());
        }
        if (resolved instanceof List<?> items) {
            return new ArrayList<>(items);
        }
        List<Object> single = new ArrayList<>();
        single.add(resolved);
        return single;
    }

    private String enumName(Object value) {
        Object resolved = resolve(value);
        if (resolved instanceof EnumValue e) {
            return e.getName();
        }
        return String.valueOf(plain(resolved));
    }

    private boolean bool(Object value) {
        Object resolved = resolve(value);
        if (resolved instanceof BooleanValue b) {
            return b.isValue();
        }
        return Boolean.TRUE.equals(resolved);
    }

    private PlanValue optionalLeaf(Object value) {
        return value == null || isNull(value) ? null : leaf(value);
    }

    private PlanValue leaf(Object value) {
        return leaf(value, false);
    }

    private PlanValue leaf(Object value, boolean permission) {
        if (value instanceof VariableReference reference && !structural.contains(reference.getName())) {
            return new PlanValue.Variable(reference.getName());
        }
        if (value instanceof ArrayValue array) {
            return new PlanValue.ListOf(array.getValues().stream().map(v -> leaf(v, permission)).toList());
        }
        Object plain = plain(resolve(value));
        if (permission && plain instanceof String s && s.toLowerCase(Locale.ROOT).startsWith(Session.PREFIX)) {
            return new PlanValue.Session(s);
        }
        if (permission && plain instanceof List<?> items) {
            return new PlanValue.ListOf(items.stream().map(v -> leaf(v, true)).toList());
        }
        return new PlanValue.Literal(plain);
    }

    /** An AST literal as a plain Java value; Java values pass through. */
    private Object plain(Object value) {
        if (value instanceof Value<?> ast) {
            return ast instanceof IntValue i ? i.getValue() : JsonScalars.literal(ast, variables);
        }
        return value;
    }
}
