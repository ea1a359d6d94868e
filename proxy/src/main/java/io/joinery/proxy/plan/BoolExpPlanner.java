package io.joinery.proxy.plan;

import io.joinery.policies.boolexp.ComparisonOperator;
import io.joinery.proxy.schema.ColumnModel;
import io.joinery.proxy.schema.ComputedFieldModel;
import io.joinery.proxy.schema.RelationshipModel;
import io.joinery.proxy.schema.ScalarKind;
import io.joinery.proxy.schema.SchemaModel;
import io.joinery.proxy.schema.TableModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A caller's boolean expressions ({@code where}, {@code _exists}) as {@link BoolExp} trees, from the
 * GraphQL input values (literals and variables): within the {@link InputLimits} (Note [Limits on the
 * callers' boolean expressions]), every relationship it goes through ANDed with the role's permission
 * filter of the related table. Operators are the {@link ComparisonOperator}s the permission filters use
 * too; those are planned by {@link PermissionFilterPlanner}.
 */
final class BoolExpPlanner {

    private final SchemaModel model;
    private final InputValues values;
    private final InputLimits limits;
    private final PermissionFilters permissions;

    private BoolExpPlanner(SchemaModel model, InputValues values, InputLimits limits, PermissionFilters permissions) {
        this.model = model;
        this.values = values;
        this.limits = limits;
        this.permissions = permissions;
    }

    /** The planner of a caller's boolean expressions. */
    static BoolExpPlanner forCaller(SchemaModel model, InputValues values, InputLimits limits, PermissionFilters permissions) {
        return new BoolExpPlanner(model, values, limits, permissions);
    }

    /** The caller's {@code where} argument: no condition when it is absent or null. */
    BoolExp where(TableModel table, Object where) {
        if (where == null || values.isNull(where)) {
            return BoolExp.TRUE;
        }
        return limits.inInput(".where", () -> boolExp(table, where));
    }

    BoolExp boolExp(TableModel table, Object value) {
        limits.enterLevel();
        try {
            List<BoolExp> terms = new ArrayList<>();
            for (Map.Entry<String, Object> entry : values.object(value).entrySet()) {
                limits.countNode();
                terms.add(limits.inInput("." + entry.getKey(), () -> term(table, entry.getKey(), entry.getValue())));
            }
            return terms.size() == 1 ? terms.getFirst() : new BoolExp.And(terms);
        } finally {
            limits.leaveLevel();
        }
    }

    private BoolExp term(TableModel table, String key, Object operand) {
        return switch (key) {
            case "_and" -> new BoolExp.And(values.isNull(operand) ? List.of() : operands(table, operand));
            case "_or" -> values.isNull(operand) ? BoolExp.TRUE : new BoolExp.Or(operands(table, operand));
            case "_not" -> values.isNull(operand) ? BoolExp.TRUE : new BoolExp.Not(boolExp(table, operand));
            case "_exists" -> exists(operand);
            default -> columnOrRelationship(table, key, operand);
        };
    }

    private List<BoolExp> operands(TableModel table, Object operand) {
        List<Object> items = values.list(operand);
        List<BoolExp> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            out.add(limits.inInput("[" + i + "]", () -> boolExp(table, item)));
        }
        return out;
    }

    private BoolExp exists(Object operand) {
        Map<String, Object> fields = values.object(operand);
        Map<String, Object> tableRef = values.object(fields.get("_table"));
        String schema = tableRef.containsKey("schema") ? String.valueOf(values.plain(tableRef.get("schema"))) : "public";
        String name = String.valueOf(values.plain(tableRef.get("name")));
        TableModel table = model.allTables().stream()
                .filter(t -> t.name().schema().equals(schema) && t.name().name().equals(name)).findFirst()
                .orElseThrow(() -> new PlanException("_exists: table " + schema + "." + name + " is not tracked", "$"));
        Object where = fields.get("_where");
        return new BoolExp.Exists(table, where == null || values.isNull(where) ? BoolExp.TRUE : boolExp(table, where));
    }

    private BoolExp columnOrRelationship(TableModel table, String key, Object operand) {
        ColumnModel column = table.columnByGraphqlName(key).orElse(null);
        if (column != null) {
            return permissions.redacted(table, column.column(), comparisons(column, operand));
        }
        ComputedFieldModel computed = table.computedFields().get(key);
        if (computed != null && computed.filterable()) {
            return computed.returnsRows() ? computedFilter(computed, operand)
                    : permissions.redacted(table, computed.name(), computedFilter(computed, operand));
        }
        RelationshipModel relationship = table.relationships().get(key);
        if (relationship == null) {
            throw new PlanException("field '" + key + "' not found in type: '" + table.typeName() + "_bool_exp'", "$");
        }
        TableModel target = model.table(relationship.target());
        return new BoolExp.Related(relationship, target, related(target, operand));
    }

    /** The condition on a related table's rows, ANDed with the role's filter of that table. */
    private BoolExp related(TableModel target, Object operand) {
        BoolExp nested = values.isNull(operand) ? BoolExp.TRUE : boolExp(target, operand);
        return BoolExp.and(nested, permissions.of(target));
    }

    /**
     * A computed field without {@code args} in a filter: its scalar compared like a column, or some row of
     * its function matching, with the target's permission filter for the role as through a relationship.
     * Note [Computed fields in where and order_by] in {@link ComputedFieldModel}.
     */
    private BoolExp computedFilter(ComputedFieldModel computed, Object operand) {
        if (computed.returnsRows()) {
            TableModel target = model.table(computed.target());
            return new BoolExp.ComputedRows(computed, target, related(target, operand));
        }
        List<BoolExp> terms = new ArrayList<>();
        for (Map.Entry<String, Object> entry : values.object(operand).entrySet()) {
            if (values.isNull(entry.getValue()) && !entry.getKey().equals(ComparisonOperator.IS_NULL.hasuraName())) {
                continue; // no condition, as for a column
            }
            if (entry.getKey().equals("_cast")) {
                terms.addAll(computedCasts(computed, entry.getValue()));
                continue;
            }
            ComparisonOperator op = operator(entry.getKey());
            if (op.comparesColumns()) {
                throw new PlanException("operator " + entry.getKey() + " is not supported on computed field '" + computed.name() + "'", "$");
            }
            terms.add(new BoolExp.ComputedCompare(computed, new BoolExp.Compare(computed.scalar(), op, values.leaf(entry.getValue())), false));
        }
        return terms.size() == 1 ? terms.getFirst() : new BoolExp.And(terms);
    }

    /** {@code _cast: {String: {...}}} on a jsonb computed field: its value compared as text. */
    private List<BoolExp> computedCasts(ComputedFieldModel computed, Object casts) {
        ColumnModel asText = new ColumnModel(computed.name(), computed.name(), "text", "String", ScalarKind.STRING, false, true);
        List<BoolExp> terms = new ArrayList<>();
        for (Object cast : values.object(casts).values()) {
            values.object(cast).forEach((op, value) ->
                    terms.add(new BoolExp.ComputedCompare(computed, new BoolExp.Compare(asText, operator(op), values.leaf(value)), true)));
        }
        return terms;
    }

    private BoolExp comparisons(ColumnModel column, Object operand) {
        List<BoolExp> terms = new ArrayList<>();
        for (Map.Entry<String, Object> entry : values.object(operand).entrySet()) {
            String op = entry.getKey();
            Object value = entry.getValue();
            if (op.equals("_cast")) {
                terms.addAll(casts(column, value));
                continue;
            }
            if (values.isNull(value) && !op.equals(ComparisonOperator.IS_NULL.hasuraName())) {
                // A null comparison value is "no condition", as in Hasura v1 and in v2 with
                // HASURA_GRAPHQL_V1_BOOLEAN_NULL_COLLAPSE=true (v2 by default does not collapse it: #704, #6946).
                continue;
            }
            ComparisonOperator operator = operator(op);
            terms.add(new BoolExp.Compare(column, operator, operand(operator, value)));
        }
        return terms.size() == 1 ? terms.getFirst() : new BoolExp.And(terms);
    }

    /**
     * The operand of a comparison; an object written field by field for an operator that takes one
     * ({@code _st_d_within: {distance: 1, from: $p}}) keeps each field's own value or variable.
     */
    private PlanValue operand(ComparisonOperator operator, Object value) {
        if (operator.operand() != ComparisonOperator.Operand.FIELDS || !(values.resolve(value) instanceof graphql.language.ObjectValue)) {
            return values.leaf(value);
        }
        Map<String, PlanValue> fields = new java.util.LinkedHashMap<>();
        values.object(value).forEach((name, field) -> {
            if (!values.isNull(field)) {
                fields.put(name, values.leaf(field));
            }
        });
        return new PlanValue.Fields(fields);
    }

    /**
     * {@code _cast: {String: {...}}} on a jsonb column: the column cast to text, compared;
     * {@code _cast: {geography: {...}}} on a geometry column (and {@code geometry} on geography): cast to that type.
     */
    private List<BoolExp> casts(ColumnModel column, Object casts) {
        List<BoolExp> terms = new ArrayList<>();
        for (Map.Entry<String, Object> cast : values.object(casts).entrySet()) {
            boolean toText = cast.getKey().equals("String");
            String target = toText ? "text" : cast.getKey();
            ColumnModel as = toText
                    ? new ColumnModel(column.column(), column.graphqlName(), "text", "String", ScalarKind.STRING, false, true)
                    : new ColumnModel(column.column(), column.graphqlName(), target, target, ScalarKind.OTHER, false, true);
            for (Map.Entry<String, Object> inner : values.object(cast.getValue()).entrySet()) {
                ComparisonOperator operator = operator(inner.getKey());
                terms.add(new BoolExp.Cast(column, target, new BoolExp.Compare(as, operator, operand(operator, inner.getValue()))));
            }
        }
        return terms;
    }

    /** The schema offers only known operators; any other is refused as the compiler refused it before. */
    private static ComparisonOperator operator(String name) {
        return ComparisonOperator.byName(name).orElseThrow(() -> new PlanException("unknown operator " + name, "$"));
    }
}
