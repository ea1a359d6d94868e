package io.joinery.proxy.join;

import io.joinery.proxy.plan.JoinSpec;
import io.joinery.proxy.plan.RemoteTableJoin;
import io.joinery.proxy.plan.RowField;
import io.joinery.proxy.compile.CompiledQuery;

import java.util.List;

/**
 * Where the joins of one JSON value are, and what each join brings: built once from the plan by
 * {@link JoinCollector}, then followed through each response without the plan (Hasura's
 * {@code JoinTree}). Branches without joins are left out. A join's key is the phantom part of
 * the objects it fills; see Note [Phantom join keys].
 */
public sealed interface JoinTree permits JoinTree.Rows, JoinTree.Aggregate, JoinTree.Answer {

    /** Whether the tree holds no join at all. */
    boolean isEmpty();

    /** A row or an array of rows (Postgres' JSON): per row, in the client's field order, its steps. */
    record Rows(List<RowStep> steps) implements JoinTree {
        public Rows {
            steps = List.copyOf(steps);
        }

        @Override
        public boolean isEmpty() {
            return steps.isEmpty();
        }
    }

    /** An aggregate's value: the rows of its {@code nodes} parts. */
    record Aggregate(List<Below> nodes) implements JoinTree {
        public Aggregate {
            nodes = List.copyOf(nodes);
        }

        @Override
        public boolean isEmpty() {
            return nodes.isEmpty();
        }
    }

    /** A remote answer: the tables and the remote schemas joined into the objects at their paths. */
    record Answer(List<TableJoin> tables, List<AnswerJoin> remotes) implements JoinTree {
        public Answer {
            tables = List.copyOf(tables);
            remotes = List.copyOf(remotes);
        }

        @Override
        public boolean isEmpty() {
            return tables.isEmpty() && remotes.isEmpty();
        }
    }

    /** What a row holds: a field to follow, a remote join, or a table of another source. */
    sealed interface RowStep permits Below, RowJoin, RowTableJoin {
    }

    /** The field {@code alias} of the row (a relation, computed rows, or an aggregate), and the joins inside it. */
    record Below(String alias, JoinTree tree) implements RowStep {
    }

    /** A remote join of the row, its key the row's phantom key (an array of the key columns' values). */
    record RowJoin(RemoteJoin join) implements RowStep {
    }

    /** A table of another source joined into the row as the field {@code alias}, its key the row's phantom key fields. */
    record RowTableJoin(String alias, TableJoin join) implements RowStep {
    }

    /** A remote schema joined into the objects at {@code path} of a remote answer, their key the phantom fields {@code keyAliases}. */
    record AnswerJoin(List<String> path, RemoteJoin join, List<String> keyAliases) {
        public AnswerJoin {
            path = List.copyOf(path);
            keyAliases = List.copyOf(keyAliases);
        }
    }

    /** One remote join (into rows or into a remote answer) and the joins into its answer. */
    record RemoteJoin(RowField.RemoteJoin field, Answer answer) {
        JoinSpec spec() {
            return field.join();
        }

        String alias() {
            return field.alias();
        }
    }

    /**
     * One table joined into remote answers or from another source: the objects get {@code join.alias()}
     * from ONE statement per level, {@code statement} (keyed by the distinct keys; null when the plan was
     * compiled without it); {@code rows} are the joins inside what it brings.
     */
    record TableJoin(RemoteTableJoin join, CompiledQuery.KeyedStatement statement, Rows rows) {
    }
}
