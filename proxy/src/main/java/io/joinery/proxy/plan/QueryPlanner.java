package io.joinery.proxy.plan;

import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import io.joinery.proxy.schema.GraphqlSchemaBuilder;
import io.joinery.proxy.schema.RoleAccess;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a validated operation into a {@link QueryPlan}. Fragments are inlined, {@code @skip} and
 * {@code @include} applied, fields merged by response key ({@link FieldCollector}). Scalar variables
 * (and variables of an enum table's enum, which are values too) become {@link PlanValue.Variable}
 * references; variables that shape the plan ({@code structural}: input objects, other enums,
 * Booleans) are read from {@code variables}, and the plan cache keys on their values.
 *
 * <p>Each root field goes to the first {@link RootPlanner} that knows it: introspection and
 * {@code __typename}, tables, tracked functions, remote schemas. A mutation's root fields are
 * tables' ({@link MutationRootPlanner}) or remote schemas'.
 */
public final class QueryPlanner {

    /** The variable a streaming subscription's cursor value is bound to, fetch after fetch; not a GraphQL name. */
    public static final String CURSOR_VARIABLE = "joinery:cursor";
    /** The field of each streamed row that carries its cursor column; a GraphQL alias cannot start with {@code __}. */
    public static final String CURSOR_FIELD = "__cursor";

    private final RoleAccess access;
    private final Map<String, FragmentDefinition> fragments;
    private final InputValues values;
    /** See Note [Limits on the callers' boolean expressions] in {@link InputLimits}. */
    private int maxInputDepth = 12;
    private int maxInputNodes = 512;
    /** The session variables the role's remote presets read (Note [Remote schema permissions] in {@code remote.RemotePermission}). */
    private Map<String, String> presetSession = Map.of();
    /** The role's redacted cells, planned once per role by its caller; planned here when it gives none. */
    private CellRedactions cells;

    public QueryPlanner(RoleAccess access, Map<String, FragmentDefinition> fragments, Map<String, Object> variables,
                        Set<String> structural) {
        this.access = access;
        this.fragments = fragments;
        this.values = new InputValues(variables, structural);
    }

    /**
     * At most {@code maxDepth} levels of a caller's boolean expression and {@code maxNodes}
     * conditions in the operation's {@code where}, {@code order_by} and {@code distinct_on}: Note
     * [Limits on the callers' boolean expressions] in {@link InputLimits}.
     */
    public QueryPlanner limitInput(int maxDepth, int maxNodes) {
        this.maxInputDepth = maxDepth;
        this.maxInputNodes = maxNodes;
        return this;
    }

    /** The role's redacted cells as planned once for the role ({@link CellRedactions#of}). */
    public QueryPlanner cells(CellRedactions planned) {
        this.cells = planned;
        return this;
    }

    /** The values of the session variables the role's remote schema presets read, which the plan is cached for. */
    public QueryPlanner presetSession(Map<String, String> values) {
        this.presetSession = Map.copyOf(values);
        return this;
    }

    public QueryPlan plan(OperationDefinition operation) {
        String type = operation.getOperation().name().toLowerCase(Locale.ROOT);
        Planners planners = new Planners(operation);
        List<RootField> roots = new ArrayList<>();
        if (operation.getOperation() == OperationDefinition.Operation.MUTATION) {
            for (Map.Entry<String, List<Field>> entry : planners.collector.collect(operation.getSelectionSet(), GraphqlSchemaBuilder.MUTATION_ROOT).entrySet()) {
                roots.add(planners.limits.inField(entry.getKey(), () -> planners.mutation(entry.getKey(), entry.getValue())));
            }
            if (roots.stream().anyMatch(r -> r instanceof RootField.Mutation) && roots.stream().anyMatch(r -> r instanceof RootField.Remote)) {
                throw new PlanException("a mutation of tables and of remote schemas in one operation is not supported; send them as two", "$");
            }
            // Table mutations and actions together run in the client's order: Note [Mutations and actions] in engine.GraphqlEngine.
            return new QueryPlan(type, operation.getName(), roots);
        }
        // A subscription's root fields are the query root's table fields (Note [Live queries] in subscription.LiveQueries).
        String rootType = operation.getOperation() == OperationDefinition.Operation.SUBSCRIPTION
                ? GraphqlSchemaBuilder.SUBSCRIPTION_ROOT : GraphqlSchemaBuilder.QUERY_ROOT;
        for (Map.Entry<String, List<Field>> entry : planners.collector.collect(operation.getSelectionSet(), rootType).entrySet()) {
            roots.add(planners.limits.inField(entry.getKey(), () -> planners.root(entry.getKey(), entry.getValue())));
        }
        return new QueryPlan(type, operation.getName(), roots);
    }

    /** The planners of one operation, which share its fragments, variables and input count. */
    private final class Planners {
        final FieldCollector collector = new FieldCollector(fragments, values);
        final InputLimits limits = new InputLimits(maxInputDepth, maxInputNodes);
        final RemoteRootPlanner remotes;
        final List<RootPlanner> roots;
        final MutationRootPlanner mutations;
        final ActionRootPlanner actions;

        Planners(OperationDefinition operation) {
            PermissionFilters permissions = new PermissionFilters(access, values, cells != null ? cells : CellRedactions.of(access));
            BoolExpPlanner filters = BoolExpPlanner.forCaller(access.model(), values, limits, permissions);
            ArgumentPlanner arguments = new ArgumentPlanner(access, values, limits, filters, permissions);
            RowFieldPlanner rows = new RowFieldPlanner(access, collector, values, arguments, limits, operation.getVariableDefinitions(),
                    new RemotePresets(access, fragments, presetSession, values));
            remotes = new RemoteRootPlanner(access, collector, rows.remoteQueries());
            actions = new ActionRootPlanner(access, collector, arguments, rows);
            roots = List.of(new IntrospectionRootPlanner(), new TableRootPlanner(access, arguments, rows),
                    new FunctionRootPlanner(access, arguments, rows), actions, remotes);
            mutations = new MutationRootPlanner(access, values, filters, permissions, collector, rows);
        }

        /** A mutation root field: a table's, an action's, else a remote schema's. */
        RootField mutation(String alias, List<Field> fields) {
            Field field = fields.getFirst();
            if (field.getName().equals("__typename")) {
                return new RootField.Typename(alias, GraphqlSchemaBuilder.MUTATION_ROOT);
            }
            return mutations.plan(alias, fields).or(() -> actions.mutation(alias, fields)).orElseGet(() -> remotes.mutation(alias, field));
        }

        RootField root(String alias, List<Field> fields) {
            for (RootPlanner planner : roots) {
                var root = planner.plan(alias, fields);
                if (root.isPresent()) {
                    return root.get();
                }
            }
            String name = fields.getFirst().getName();
            throw new PlanException("field '" + name + "' not found in type: '" + GraphqlSchemaBuilder.QUERY_ROOT + "'", "$.selectionSet." + name);
        }
    }
}
