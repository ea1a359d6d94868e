package io.joinery.policies.boolexp;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A boolean expression of a permission, parsed once by {@link BoolExpParser} against what each name
 * means on its table. Every node keeps its JSON path ({@code $.author.id._eq}), which problems name.
 * A term that is not well formed stays in place as {@link Malformed} (or {@link UnknownField},
 * {@link UnknownTable}), so the checks report every problem in document order and the planner refuses
 * the first; names are kept as written, for each user to resolve on its own tables.
 */
public sealed interface BoolExpression {

    String path();

    /** An object of several terms, or {@code _and}; no terms is true. */
    record And(String path, List<BoolExpression> operands) implements BoolExpression {
        public And {
            operands = List.copyOf(operands);
        }
    }

    record Or(String path, List<BoolExpression> operands) implements BoolExpression {
        public Or {
            operands = List.copyOf(operands);
        }
    }

    record Not(String path, BoolExpression operand) implements BoolExpression {
    }

    /** {@code _exists}: some row of {@code table} matches {@code where} (true when {@code _where} is absent). */
    record Exists(String path, TableName table, BoolExpression where) implements BoolExpression {
    }

    /** The conditions on a column, ANDed: {@code {id: {_gt: 1, _lt: 9}}}, or a bare value (Note [Bare values are _eq]). */
    record ColumnTerm(String path, String column, List<Condition> conditions) implements BoolExpression {
        public ColumnTerm {
            conditions = List.copyOf(conditions);
        }
    }

    /** The conditions on a computed field returning a scalar, compared like a column (no column comparisons). */
    record ComputedTerm(String path, String field, List<Condition> conditions) implements BoolExpression {
        public ComputedTerm {
            conditions = List.copyOf(conditions);
        }
    }

    /** Through a relationship: some related row matches {@code where}, an expression over the target table. */
    record RelatedTerm(String path, String relationship, BoolExpression where) implements BoolExpression {
    }

    /** A computed field returning {@code SETOF} a table: some row it returns matches {@code where}. */
    record ComputedRowsTerm(String path, String field, BoolExpression where) implements BoolExpression {
    }

    /** A name that is no field of the table. */
    record UnknownField(String path, String name) implements BoolExpression {
    }

    /** A field whose meaning cannot be known now (its target table or function is missing); reported elsewhere, if at all. */
    record Unresolved(String path, String name) implements BoolExpression {
    }

    /** {@code _exists} of a table that is not there. */
    record UnknownTable(String path, TableName table) implements BoolExpression {
    }

    /**
     * A term that is not well formed: {@code reason} says why; {@code subject} what it is about, with
     * {@code name} the operator or field named.
     */
    record Malformed(String path, Subject subject, String name, String reason) implements BoolExpression, Condition {
    }

    /** What a {@link Malformed} term is about. */
    enum Subject {
        /** The expression itself (a permission's {@code filter} or {@code check}). */
        EXPRESSION,
        /** An operator, or a key written like one. */
        OPERATOR,
        /** A field of the table: a column or a computed field. */
        FIELD
    }

    /** One condition on a column or computed field. */
    sealed interface Condition permits Comparison, Malformed {
        String path();
    }

    /** {@code subject <operator> operand}. */
    record Comparison(String path, ComparisonOperator operator, Operand operand) implements Condition {
    }

    /** The operand of a {@link Comparison}, as its operator takes it. */
    sealed interface Operand permits Value, ColumnReference, InvalidOperand {
    }

    /**
     * A value, list, Boolean or JSON document as written: a JSON null is "no condition" except for
     * {@code _is_null}; a string may name a session variable.
     */
    record Value(JsonNode json) implements Operand {
    }

    /** A column compared with: of the same row, or with {@code root} of the row the permission is for. */
    record ColumnReference(String column, boolean root) implements Operand {
    }

    /** An operand of the wrong kind for its operator, with the subject the problem is about. */
    record InvalidOperand(Subject subject, String reason) implements Operand {
    }
}
