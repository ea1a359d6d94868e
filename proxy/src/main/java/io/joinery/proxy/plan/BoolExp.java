package io.joinery.proxy.plan;

import io.joinery.policies.boolexp.ComparisonOperator;
import io.joinery.proxy.schema.ColumnModel;
import io.joinery.proxy.schema.ComputedFieldModel;
import io.joinery.proxy.schema.RelationshipModel;
import io.joinery.proxy.schema.TableModel;

import java.util.List;

/** A row filter: the user's {@code where} and the permission filter, ANDed by the planner. */
public sealed interface BoolExp {

    BoolExp TRUE = new And(List.of());

    record And(List<BoolExp> operands) implements BoolExp {
        public And {
            operands = List.copyOf(operands);
        }
    }

    record Or(List<BoolExp> operands) implements BoolExp {
        public Or {
            operands = List.copyOf(operands);
        }
    }

    record Not(BoolExp operand) implements BoolExp {
    }

    /** {@code column <op> value}: Hasura's operator ({@code _eq}, {@code _like}, …), not a column comparison. */
    record Compare(ColumnModel column, ComparisonOperator op, PlanValue value) implements BoolExp {
    }

    /** {@code _cast: {String: {...}}} on a jsonb column: compare the column cast to text. */
    record Cast(ColumnModel column, String targetSqlType, BoolExp.Compare comparison) implements BoolExp {
    }

    /**
     * A scalar computed field compared like a column: its function called with the row (and the session
     * variables); {@code comparison} is on {@code field.scalar()}, or with {@code castToText} on its value as text
     * ({@code _cast: {String: …}} on jsonb). See Note [Computed fields in where and order_by] in {@link ComputedFieldModel}.
     */
    record ComputedCompare(ComputedFieldModel field, BoolExp.Compare comparison, boolean castToText) implements BoolExp {
    }

    /** A {@code SETOF} computed field: some row its function returns for the row matches {@code where}. */
    record ComputedRows(ComputedFieldModel field, TableModel target, BoolExp where) implements BoolExp {
    }

    /** A filter through a relationship: some related row matches {@code where}. */
    record Related(RelationshipModel relationship, TableModel target, BoolExp where) implements BoolExp {
    }

    /**
     * A permission's column comparison ({@code _ceq}, {@code _cneq}, {@code _cgt}, …): {@code column <op> other},
     * {@code other} a column of the same row, or with {@code root} of the row the permission is for
     * ({@code ["$", column]}, inside a relationship or {@code _exists}).
     */
    record ColumnCompare(ColumnModel column, ComparisonOperator op, ColumnModel other, boolean root) implements BoolExp {
    }

    /** A permission filter that refers to its own row from deeper down ({@code ["$", column]}): the row the permission is for. */
    record PermissionRoot(BoolExp filter) implements BoolExp {
    }

    /**
     * The caller's {@code comparison} on a field the role sees only in the rows of {@code visible}: the compared value
     * is null in the other rows ({@code CASE WHEN visible THEN value ELSE NULL END}; Note [Redacted cells] in
     * {@code schema.InheritedRoles}).
     */
    record Redacted(BoolExp visible, BoolExp comparison) implements BoolExp {
    }

    /** {@code _exists}: some row of an unrelated table matches {@code where}. */
    record Exists(TableModel table, BoolExp where) implements BoolExp {
    }

    static BoolExp and(BoolExp a, BoolExp b) {
        if (a.equals(TRUE)) {
            return b;
        }
        if (b.equals(TRUE)) {
            return a;
        }
        return new And(List.of(a, b));
    }
}
