package io.joinery.proxy.plan;

import io.joinery.proxy.schema.ColumnModel;
import io.joinery.proxy.schema.TableModel;

import java.util.ArrayList;
import java.util.List;

/**
 * What a table mutation writes, with the role's permission folded in: the presets are values like
 * the client's, the {@code filter} is ANDed into the {@code where}, and {@code check} is the
 * condition every written row must meet ({@link BoolExp#TRUE} without one).
 */
public sealed interface Write permits Write.Insert, Write.Update, Write.UpdateMany, Write.Delete {

    TableModel table();

    /**
     * {@code INSERT INTO t (columns) VALUES …}: each row holds one value per column, null for
     * {@code DEFAULT} (a column another row gives); {@code onConflict} null for a plain insert;
     * {@code nested} empty, or each row's inserts through relationships; {@code bound} null, or the
     * rows of a variable bound as one parameter.
     */
    record Insert(TableModel table, List<ColumnModel> columns, List<List<PlanValue>> rows, OnConflict onConflict,
                  BoolExp check, List<Nested> nested, BoundRows bound) implements Write {
        public Insert {
            columns = List.copyOf(columns);
            List<List<PlanValue>> copied = new ArrayList<>();
            // Values may be null (DEFAULT), which List.copyOf refuses.
            rows.forEach(row -> copied.add(java.util.Collections.unmodifiableList(new ArrayList<>(row))));
            rows = java.util.Collections.unmodifiableList(copied);
            nested = List.copyOf(nested);
            if (!nested.isEmpty() && nested.size() != rows.size()) {
                throw new IllegalArgumentException("one nested entry per row, or none");
            }
        }

        public Insert(TableModel table, List<ColumnModel> columns, List<List<PlanValue>> rows, OnConflict onConflict, BoolExp check) {
            this(table, columns, rows, onConflict, check, List.of(), null);
        }

        /** Whether a row of it, at any depth, inserts through a relationship. */
        public boolean hasNested() {
            return !nested.isEmpty();
        }
    }

    /**
     * Rows given as one variable and bound as ONE JSON parameter (Note [Rows bound as one parameter]
     * in {@code engine.BoundRows}): the variable {@code rows}, a list, or one object when {@code single};
     * {@code columns} are the ones its rows give. The insert's one row of values then holds its presets
     * (null for the columns the variable gives).
     */
    record BoundRows(PlanValue.Variable rows, boolean single, List<ColumnModel> columns) {
        public BoundRows {
            columns = List.copyOf(columns);
        }
    }

    /**
     * One row's nested inserts (Note [Nested inserts] in {@code compile.MutationCompiler}): through
     * its object relationships {@code before} it (its columns of the relationship filled from the
     * row written), through its array relationships {@code after} it (their columns of the
     * relationship filled from it).
     */
    record Nested(List<Related> before, List<Related> after) {
        public Nested {
            before = List.copyOf(before);
            after = List.copyOf(after);
        }
    }

    /** The rows inserted through {@code relationship}, with the role's insert permission on its target folded in. */
    record Related(io.joinery.proxy.schema.RelationshipModel relationship, Insert insert) {
    }

    /**
     * {@code ON CONFLICT ON CONSTRAINT c DO NOTHING} when {@code updates} is empty, else
     * {@code DO UPDATE SET} each of them (the new value, or a preset) {@code WHERE where}; a row it
     * updates must meet {@code updateCheck}, the update permission's check.
     */
    record OnConflict(String constraint, List<Assignment> updates, BoolExp where, BoolExp updateCheck) {
        public OnConflict {
            updates = List.copyOf(updates);
        }

        /** Whether the rows it updates must meet the update permission's check (Note [Upsert checks] in {@code compile.MutationCompiler}). */
        public boolean checksUpdates() {
            return !updates.isEmpty() && !updateCheck.equals(BoolExp.TRUE);
        }
    }

    /** {@code UPDATE t SET … WHERE where}. */
    record Update(TableModel table, BoolExp where, List<Assignment> assignments, BoolExp check) implements Write {
        public Update {
            assignments = List.copyOf(assignments);
        }
    }

    /**
     * {@code update_t_many}: each update in order, each its own statement in the request's
     * transaction, so that one sees the rows the ones before it changed (Note [Many updates] in
     * {@code compile.MutationCompiler}).
     */
    record UpdateMany(TableModel table, List<Update> updates) implements Write {
        public UpdateMany {
            updates = List.copyOf(updates);
        }
    }

    /** {@code DELETE FROM t WHERE where}. */
    record Delete(TableModel table, BoolExp where) implements Write {
    }

    /**
     * One column's new value: {@code SET} to {@code value}, {@code INC} by it, {@code EXCLUDED} (an
     * upsert's proposed value), or a jsonb column's {@code APPEND}, {@code PREPEND},
     * {@code DELETE_KEY}, {@code DELETE_ELEM}, {@code DELETE_AT_PATH}.
     */
    record Assignment(ColumnModel column, Operation operation, PlanValue value) {
    }

    /** The operations, each with its argument of {@code update_t} (none for {@code EXCLUDED}). */
    enum Operation {
        SET("_set"), INC("_inc"), EXCLUDED(null), APPEND("_append"), PREPEND("_prepend"), DELETE_KEY("_delete_key"),
        DELETE_ELEM("_delete_elem"), DELETE_AT_PATH("_delete_at_path");

        private final String argument;

        Operation(String argument) {
            this.argument = argument;
        }

        /** {@code _set}, {@code _inc}, …; null for {@code EXCLUDED}. */
        public String argument() {
            return argument;
        }

        /** The input type of its argument: {@code t_set_input}, {@code t_delete_key_input}, …. */
        public String inputType(String typeName) {
            return typeName + argument + "_input";
        }
    }
}
