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
public sealed interface Write {

    TableModel table();

    /**
     * {@code INSERT INTO t (columns) VALUES …}: each row holds one value per column, null for
     * {@code DEFAULT} (a column another row gives); {@code onConflict} null for a plain insert.
     */
    record Insert(TableModel table, List<ColumnModel> columns, List<List<PlanValue>> rows, OnConflict onConflict,
                  BoolExp check) implements Write {
        public Insert {
            columns = List.copyOf(columns);
            List<List<PlanValue>> copied = new ArrayList<>();
            // Values may be null (DEFAULT), which List.copyOf refuses.
            rows.forEach(row -> copied.add(java.util.Collections.unmodifiableList(new ArrayList<>(row))));
            rows = java.util.Collections.unmodifiableList(copied);
        }
    }

    /**
     * {@code ON CONFLICT ON CONSTRAINT c DO NOTHING} when {@code updates} is empty, else
     * {@code DO UPDATE SET} each of them (the new value, or a preset) {@code WHERE where}.
     */
    record OnConflict(String constraint, List<Assignment> updates, BoolExp where) {
        public OnConflict {
            updates = List.copyOf(updates);
        }
    }

    /** {@code UPDATE t SET … WHERE where}. */
    record Update(TableModel table, BoolExp where, List<Assignment> assignments, BoolExp check) implements Write {
        public Update {
            assignments = List.copyOf(assignments);
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
