package io.joinery.proxy.join;

import io.joinery.proxy.plan.AggregatePart;
import io.joinery.proxy.plan.RemoteSchemaJoin;
import io.joinery.proxy.plan.RemoteTableJoin;
import io.joinery.proxy.plan.RootField;
import io.joinery.proxy.plan.RowField;
import io.joinery.proxy.compile.CompiledQuery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a plan into its {@link JoinTree}s: per root field, where its joins are and what each one
 * brings, so that the join stage follows the response without walking the plan again (Hasura's
 * {@code RemoteJoin/Collect}). The phantom keys the joins read are already in the plan and in its
 * SQL; see Note [Phantom join keys].
 */
final class JoinCollector {

    private static final JoinTree.Rows NONE = new JoinTree.Rows(List.of());

    private final Map<RemoteTableJoin, CompiledQuery.KeyedStatement> statements;

    /** {@code statements}: the keyed statement of each table join of the plan. */
    JoinCollector(Map<RemoteTableJoin, CompiledQuery.KeyedStatement> statements) {
        this.statements = statements;
    }

    /** The joins inside a root field's value (empty for a root field that has none). */
    JoinTree of(RootField root) {
        return switch (root) {
            case RootField.SelectMany many -> rows(many.fields());
            case RootField.SelectFunction function -> rows(function.fields());
            case RootField.SelectByPk byPk -> rows(byPk.fields());
            case RootField.SelectAggregate aggregate -> aggregate(aggregate.parts());
            case RootField.SelectFunctionAggregate aggregate -> aggregate(aggregate.parts());
            case RootField.Remote remote -> answer(remote.tableJoins(), remote.remoteJoins());
            case RootField.Action action -> answer(action.tableJoins(), List.of());
            case RootField.Mutation mutation -> switch (mutation.output()) {
                case io.joinery.proxy.plan.MutationOutput.Row row -> rows(row.fields());
                case io.joinery.proxy.plan.MutationOutput.Response response -> returning(response);
            };
            case RootField.Typename typename -> NONE;
            case RootField.Introspection introspection -> NONE;
        };
    }

    /** A mutation response's joins are those of its {@code returning} rows, below its alias (as an aggregate's nodes). */
    private JoinTree.Aggregate returning(io.joinery.proxy.plan.MutationOutput.Response response) {
        List<JoinTree.Below> nodes = new ArrayList<>();
        for (io.joinery.proxy.plan.MutationOutput.Part part : response.parts()) {
            if (part instanceof io.joinery.proxy.plan.MutationOutput.Returning returning) {
                JoinTree tree = rows(returning.fields());
                if (!tree.isEmpty()) {
                    nodes.add(new JoinTree.Below(returning.alias(), tree));
                }
            }
        }
        return new JoinTree.Aggregate(nodes);
    }

    JoinTree.Rows rows(List<RowField> fields) {
        List<JoinTree.RowStep> steps = new ArrayList<>();
        for (RowField field : fields) {
            switch (field) {
                case RowField.RemoteJoin remote -> steps.add(new JoinTree.RowJoin(remoteJoin(remote)));
                case RowField.SourceJoin join -> steps.add(new JoinTree.RowTableJoin(join.alias(), tableJoin(join.join())));
                case RowField.ObjectRelation relation -> below(relation.alias(), rows(relation.fields()), steps);
                case RowField.ArrayRelation relation -> below(relation.alias(), rows(relation.fields()), steps);
                case RowField.ComputedRows computed -> below(computed.alias(), rows(computed.fields()), steps);
                case RowField.ArrayAggregate aggregate -> below(aggregate.alias(), aggregate(aggregate.parts()), steps);
                case RowField.Computed computed -> {
                }
                case RowField.Column column -> {
                }
                case RowField.Typename typename -> {
                }
            }
        }
        return steps.isEmpty() ? NONE : new JoinTree.Rows(steps);
    }

    private JoinTree.Aggregate aggregate(List<AggregatePart> parts) {
        List<JoinTree.Below> nodes = new ArrayList<>();
        for (AggregatePart part : parts) {
            if (part instanceof AggregatePart.Nodes rows) {
                JoinTree tree = rows(rows.fields());
                if (!tree.isEmpty()) {
                    nodes.add(new JoinTree.Below(rows.alias(), tree));
                }
            }
        }
        return new JoinTree.Aggregate(nodes);
    }

    private void below(String alias, JoinTree tree, List<JoinTree.RowStep> steps) {
        if (!tree.isEmpty()) {
            steps.add(new JoinTree.Below(alias, tree));
        }
    }

    JoinTree.RemoteJoin remoteJoin(RowField.RemoteJoin field) {
        return new JoinTree.RemoteJoin(field, answer(field.tableJoins(), field.remoteJoins()));
    }

    JoinTree.Answer answer(List<RemoteTableJoin> tables, List<RemoteSchemaJoin> remotes) {
        List<JoinTree.TableJoin> tableJoins = new ArrayList<>(tables.size());
        tables.forEach(table -> tableJoins.add(tableJoin(table)));
        List<JoinTree.AnswerJoin> remoteJoins = new ArrayList<>(remotes.size());
        remotes.forEach(remote -> remoteJoins.add(new JoinTree.AnswerJoin(remote.path(), remoteJoin(remote.field()), remote.keyAliases())));
        return new JoinTree.Answer(tableJoins, remoteJoins);
    }

    private JoinTree.TableJoin tableJoin(RemoteTableJoin join) {
        return new JoinTree.TableJoin(join, statements.get(join), rows(join.fields()));
    }
}
