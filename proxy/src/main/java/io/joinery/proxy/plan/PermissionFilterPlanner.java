package io.joinery.proxy.plan;

import io.joinery.policies.boolexp.BoolExpression;
import io.joinery.policies.boolexp.BoolExpression.ColumnReference;
import io.joinery.policies.boolexp.BoolExpression.Comparison;
import io.joinery.policies.boolexp.BoolExpression.Condition;
import io.joinery.policies.boolexp.BoolExpression.InvalidOperand;
import io.joinery.policies.boolexp.BoolExpression.Malformed;
import io.joinery.policies.boolexp.BoolExpression.Value;
import io.joinery.policies.boolexp.ComparisonOperator;
import io.joinery.proxy.schema.ColumnModel;
import io.joinery.proxy.schema.ComputedFieldModel;
import io.joinery.proxy.schema.RelationshipModel;
import io.joinery.proxy.schema.TableModel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One permission filter, as {@link io.joinery.policies.boolexp.BoolExpParser} read it, planned as a
 * {@link BoolExp}: without the callers' limits, with session variables and the column comparisons of
 * permissions ({@code _ceq}, …, {@code ["$", column]} for the row the permission is for). The consistency
 * checks have refused malformed filters; one met here is refused as a plan error.
 */
final class PermissionFilterPlanner {

    private final InputValues values;
    /** The table the permission is for, which {@code ["$", column]} refers to. */
    private final TableModel root;
    /** Whether the filter refers to {@link #root} ({@code ["$", column]}). */
    private boolean rootReferenced;

    PermissionFilterPlanner(InputValues values, TableModel root) {
        this.values = values;
        this.root = root;
    }

    boolean rootReferenced() {
        return rootReferenced;
    }

    BoolExp plan(BoolExpression expression, TableFields fields) {
        TableModel table = fields.table();
        return switch (expression) {
            case BoolExpression.And and -> new BoolExp.And(all(and.operands(), fields));
            case BoolExpression.Or or -> new BoolExp.Or(all(or.operands(), fields));
            case BoolExpression.Not not -> new BoolExp.Not(plan(not.operand(), fields));
            case BoolExpression.Exists exists -> {
                TableFields target = fields.table(exists.table()).orElseThrow();
                yield new BoolExp.Exists(target.table(), plan(exists.where(), target));
            }
            case BoolExpression.ColumnTerm term -> comparisons(table, fields.column(term.column()).orElseThrow(), term.conditions());
            case BoolExpression.ComputedTerm term -> computed(fields.computed(term.field()), term.conditions());
            case BoolExpression.RelatedTerm term -> {
                RelationshipModel relationship = fields.relationship(term.relationship());
                TableFields target = fields.target(term.relationship()).orElseThrow();
                yield new BoolExp.Related(relationship, target.table(), plan(term.where(), target));
            }
            case BoolExpression.ComputedRowsTerm term -> {
                TableFields target = fields.target(term.field()).orElseThrow();
                yield new BoolExp.ComputedRows(fields.computed(term.field()), target.table(), plan(term.where(), target));
            }
            case BoolExpression.UnknownField unknown -> throw notFound(table, unknown.name());
            case BoolExpression.Unresolved unresolved -> throw notFound(table, unresolved.name());
            case BoolExpression.UnknownTable unknown -> throw new PlanException(
                    "_exists: table " + unknown.table().schema() + "." + unknown.table().name() + " is not tracked", "$");
            case Malformed malformed -> throw malformed(malformed);
        };
    }

    private List<BoolExp> all(List<BoolExpression> operands, TableFields fields) {
        List<BoolExp> out = new ArrayList<>(operands.size());
        operands.forEach(operand -> out.add(plan(operand, fields)));
        return out;
    }

    private BoolExp comparisons(TableModel table, ColumnModel column, List<Condition> conditions) {
        return conjunction(conditions, comparison -> switch (comparison.operand()) {
            case ColumnReference reference -> columnComparison(table, column, comparison, reference);
            case Value value -> new BoolExp.Compare(column, comparison.operator(), operand(comparison.operator(), value));
            case InvalidOperand invalid -> throw new PlanException(invalid.reason() + " (at " + comparison.path() + ")", "$");
        });
    }

    /** An object operand ({@code $st_d_within: {distance, from}}) field by field, each field possibly a session variable. */
    private PlanValue operand(ComparisonOperator operator, Value value) {
        if (operator.operand() != ComparisonOperator.Operand.FIELDS || !value.json().isObject()) {
            return leaf(value);
        }
        java.util.Map<String, PlanValue> fields = new java.util.LinkedHashMap<>();
        value.json().properties().forEach(field -> fields.put(field.getKey(), values.leaf(JsonValues.toJava(field.getValue()), true)));
        return new PlanValue.Fields(fields);
    }

    /** A scalar computed field compared like a column (Note [Computed fields in where and order_by] in {@link ComputedFieldModel}). */
    private BoolExp computed(ComputedFieldModel computed, List<Condition> conditions) {
        return conjunction(conditions, comparison -> switch (comparison.operand()) {
            case Value value -> new BoolExp.ComputedCompare(computed, new BoolExp.Compare(computed.scalar(), comparison.operator(), leaf(value)), false);
            case ColumnReference reference ->
                    throw new PlanException("operator " + comparison.operator() + " is not supported on computed field '" + computed.name() + "'", "$");
            case InvalidOperand invalid -> throw new PlanException(invalid.reason() + " (at " + comparison.path() + ")", "$");
        });
    }

    /**
     * The conditions ANDed, one alone as itself. A null value is "no condition", except for {@code _is_null}:
     * as in Hasura v1 and in v2 with HASURA_GRAPHQL_V1_BOOLEAN_NULL_COLLAPSE=true (v2 by default does not
     * collapse it: #704, #6946).
     */
    private static BoolExp conjunction(List<Condition> conditions, Function<Comparison, BoolExp> plan) {
        List<BoolExp> terms = new ArrayList<>();
        for (Condition condition : conditions) {
            Comparison comparison = switch (condition) {
                case Comparison c -> c;
                case Malformed malformed -> throw malformed(malformed);
            };
            if (comparison.operand() instanceof Value value && value.json().isNull() && comparison.operator() != ComparisonOperator.IS_NULL) {
                continue;
            }
            terms.add(plan.apply(comparison));
        }
        return terms.size() == 1 ? terms.getFirst() : new BoolExp.And(terms);
    }

    /** A value for a bind parameter; a string naming a session variable ({@code x-joinery-user-id}) is that session variable. */
    private PlanValue leaf(Value value) {
        return values.leaf(JsonValues.toJava(value.json()), true);
    }

    /**
     * {@code {a: {_cgt: "b"}}}: column {@code b} of the same row; {@code ["$", "b"]}: of the row the
     * permission is for. The consistency checks have made sure the columns exist.
     */
    private BoolExp columnComparison(TableModel table, ColumnModel column, Comparison comparison, ColumnReference reference) {
        TableModel in = reference.root() ? root : table;
        ColumnModel other = in.column(reference.column()).orElseThrow(() -> new PlanException(
                "the permission compares " + column.column() + " with column " + reference.column() + ", which does not exist", "$"));
        rootReferenced |= reference.root();
        return new BoolExp.ColumnCompare(column, comparison.operator(), other, reference.root());
    }

    private static PlanException notFound(TableModel table, String name) {
        return new PlanException("field '" + name + "' not found in type: '" + table.typeName() + "_bool_exp'", "$");
    }

    private static PlanException malformed(Malformed malformed) {
        return new PlanException(malformed.reason() + " (at " + malformed.path() + ")", "$");
    }
}
