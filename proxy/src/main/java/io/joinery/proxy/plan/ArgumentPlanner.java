package io.joinery.proxy.plan;

import graphql.language.Field;
import io.joinery.admin.metadata.SelectPermission;
import io.joinery.policies.boolexp.ComparisonOperator;
import io.joinery.proxy.schema.ColumnModel;
import io.joinery.proxy.schema.ComputedFieldModel;
import io.joinery.proxy.schema.RelationshipModel;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.schema.TableModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A field's arguments as the {@link Select} of its rows: {@code where} ANDed with the role's
 * permission filter, {@code order_by}, {@code distinct_on}, {@code limit} and {@code offset} (the
 * role's row limit kept beside it), a {@code _by_pk} field's key; and the {@code args} of a computed
 * field or tracked function. The {@code where}, {@code order_by} and {@code distinct_on} count
 * against the {@link InputLimits}.
 */
final class ArgumentPlanner {

    private static final String DISTINCT_ORDER = "\"distinct_on\" columns must match initial \"order_by\" columns";

    private final RoleAccess access;
    private final InputValues values;
    private final InputLimits limits;
    private final BoolExpPlanner filters;
    private final PermissionFilters permissions;

    ArgumentPlanner(RoleAccess access, InputValues values, InputLimits limits, BoolExpPlanner filters, PermissionFilters permissions) {
        this.access = access;
        this.values = values;
        this.limits = limits;
        this.filters = filters;
        this.permissions = permissions;
    }

    /** The rows of {@code table} that {@code field}'s arguments select, within the role's permission. */
    Select select(TableModel table, Field field) {
        SelectPermission permission = access.permission(table).orElse(null);
        BoolExp where = BoolExp.and(filters.where(table, values.argument(field, "where")), permissions.of(table, permission));
        List<OrderBy> orderBy = orderBy(table, values.argument(field, "order_by"));
        List<ColumnModel> distinctOn = distinctOn(table, values.argument(field, "distinct_on"), orderBy);
        return new Select(table, where, orderBy, distinctOn, nonNegative(values.optionalLeaf(values.argument(field, "limit")), ".limit"),
                nonNegative(values.optionalLeaf(values.argument(field, "offset")), ".offset"), permission == null ? null : permission.limit(),
                permissions.redactions(table));
    }

    /**
     * {@code t_stream(batch_size, cursor, where)}: the rows after the cursor, in its order, at most
     * {@code batch_size} of them; the cursor's value is {@link QueryPlanner#CURSOR_VARIABLE}, which the
     * subscription binds anew at each fetch (Note [Streaming subscriptions] in {@code subscription.StreamCursor}).
     */
    Select stream(TableModel table, Field field) {
        SelectPermission permission = access.permission(table).orElse(null);
        List<Object> cursors = values.list(values.argument(field, "cursor"));
        if (cursors.size() != 1 || values.isNull(cursors.getFirst())) {
            throw new PlanException("one cursor is expected, got " + cursors.size(), "$.selectionSet." + field.getName() + ".args.cursor");
        }
        Map<String, Object> cursor = values.object(cursors.getFirst());
        Map<String, Object> initial = values.object(cursor.get("initial_value"));
        if (initial.size() != 1) {
            throw new PlanException("the cursor's initial_value names one column, got " + initial.size(),
                    "$.selectionSet." + field.getName() + ".args.cursor[0].initial_value");
        }
        ColumnModel column = column(table, initial.keySet().iterator().next());
        Object ordering = cursor.get("ordering");
        boolean descending = ordering != null && !values.isNull(ordering) && values.enumName(ordering).equals("DESC");
        BoolExp after = new BoolExp.Compare(column, descending ? ComparisonOperator.LT : ComparisonOperator.GT,
                new PlanValue.Variable(QueryPlanner.CURSOR_VARIABLE));
        BoolExp where = BoolExp.and(BoolExp.and(filters.where(table, values.argument(field, "where")), after), permissions.of(table, permission));
        List<OrderBy> order = List.of(new OrderBy(List.of(), new OrderBy.ByColumn(column), descending ? "desc" : "asc"));
        return new Select(table, where, order, List.of(), nonNegative(values.leaf(values.argument(field, "batch_size")), ".batch_size"),
                null, permission == null ? null : permission.limit());
    }

    /** A literal {@code limit} or {@code offset} below zero is refused as Hasura refuses it, before any SQL. */
    private PlanValue nonNegative(PlanValue value, String argument) {
        if (value instanceof PlanValue.Literal literal && literal.value() instanceof Number number && number.longValue() < 0) {
            limits.enterInput(argument); // the refusal ends the planning: the path is not left
            throw limits.exceeded("expected a non-negative 32-bit integer for type 'Int', but found an integer");
        }
        return value;
    }



    /**
     * A json column's {@code path}: written in the query, its steps now (a bad path is refused before any SQL);
     * from a variable, its steps when the variable is bound; null without one (the whole value).
     */
    PlanValue jsonPath(Field field) {
        PlanValue path = values.optionalLeaf(values.argument(field, "path"));
        return switch (path) {
            case null -> null;
            case PlanValue.Literal literal -> {
                try {
                    yield new PlanValue.Literal(JsonPath.steps((String) literal.value()));
                } catch (IllegalArgumentException e) {
                    throw new PlanException(e.getMessage(), "$.selectionSet." + field.getName() + ".args.path");
                }
            }
            default -> new PlanValue.JsonPathOf(path);
        };
    }

    /** {@code t_by_pk(id: …)}: the row of that key, if the role may see it. */
    Select byPk(TableModel table, Field field) {
        List<BoolExp> keys = new ArrayList<>();
        for (String pk : table.primaryKey()) {
            ColumnModel column = table.column(pk).orElseThrow();
            keys.add(permissions.redacted(table, pk,
                    new BoolExp.Compare(column, ComparisonOperator.EQ, values.leaf(values.argument(field, column.graphqlName())))));
        }
        return new Select(table, BoolExp.and(new BoolExp.And(keys), permissions.of(table)), List.of(), List.of(), null, null, null,
                permissions.redactions(table));
    }

    /** The one row of an object relationship: only the role's filter applies. */
    Select objectSelect(TableModel table) {
        return new Select(table, permissions.of(table), List.of(), List.of(), null, null, null, permissions.redactions(table));
    }

    /** The {@code args} of a computed field or tracked function, by argument name. */
    Map<String, PlanValue> functionArguments(ComputedFieldModel function, Field field) {
        Map<String, PlanValue> arguments = new LinkedHashMap<>();
        Object args = values.argument(field, "args");
        if (args != null && !values.isNull(args)) {
            for (Map.Entry<String, Object> entry : values.object(args).entrySet()) {
                if (function.input(entry.getKey()).isEmpty()) {
                    throw new PlanException("field '" + entry.getKey() + "' not found in type: '" + function.argsType() + "'", "$");
                }
                arguments.put(entry.getKey(), values.leaf(entry.getValue()));
            }
        }
        return arguments;
    }

    /** A column of the table the role may see, by its GraphQL name. */
    ColumnModel column(TableModel table, String graphqlName) {
        return access.columns(table).stream().filter(c -> c.graphqlName().equals(graphqlName)).findFirst()
                .orElseThrow(() -> new PlanException("field '" + graphqlName + "' not found in type: '" + table.typeName() + "'", "$"));
    }

    private List<OrderBy> orderBy(TableModel table, Object order) {
        List<OrderBy> orderBy = new ArrayList<>();
        if (order == null || values.isNull(order)) {
            return orderBy;
        }
        List<Object> items = values.list(order);
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            limits.enterInput(".order_by[" + i + "]");
            try {
                orderTerms(table, item, List.of(), orderBy);
            } finally {
                limits.leaveInput();
            }
        }
        return orderBy;
    }

    private List<ColumnModel> distinctOn(TableModel table, Object distinct, List<OrderBy> orderBy) {
        List<ColumnModel> distinctOn = new ArrayList<>();
        if (distinct == null || values.isNull(distinct)) {
            return distinctOn;
        }
        limits.enterInput(".distinct_on");
        for (Object item : values.list(distinct)) {
            limits.countNode();
            distinctOn.add(column(table, values.enumName(item)));
        }
        limits.leaveInput();
        checkDistinctOrder(distinctOn, orderBy);
        return distinctOn;
    }

    private static void checkDistinctOrder(List<ColumnModel> distinctOn, List<OrderBy> orderBy) {
        for (int i = 0; i < Math.min(distinctOn.size(), orderBy.size()); i++) {
            OrderBy term = orderBy.get(i);
            boolean same = term.path().isEmpty() && term.target() instanceof OrderBy.ByColumn(ColumnModel c)
                    && distinctOn.contains(c);
            if (!same) {
                throw new PlanException(DISTINCT_ORDER, "$.args.distinct_on");
            }
        }
        if (!orderBy.isEmpty() && orderBy.size() < distinctOn.size()) {
            throw new PlanException(DISTINCT_ORDER, "$.args.distinct_on");
        }
    }

    private void orderTerms(TableModel table, Object value, List<OrderBy.Hop> path, List<OrderBy> out) {
        for (Map.Entry<String, Object> entry : values.object(value).entrySet()) {
            String key = entry.getKey();
            Object term = entry.getValue();
            if (values.isNull(term)) {
                continue;
            }
            limits.enterInput("." + key);
            try {
                orderTerm(table, key, term, path, out);
            } finally {
                limits.leaveInput();
            }
        }
    }

    private void orderTerm(TableModel table, String key, Object term, List<OrderBy.Hop> path, List<OrderBy> out) {
        limits.countNode();
        ColumnModel column = access.columns(table).stream().filter(c -> c.graphqlName().equals(key)).findFirst().orElse(null);
        if (column != null) {
            out.add(new OrderBy(path, new OrderBy.ByColumn(column), values.enumName(term), permissions.visible(table, column.column())));
            return;
        }
        ComputedFieldModel computed = access.computedFields(table).stream()
                .filter(c -> c.name().equals(key) && c.orderable()).findFirst().orElse(null);
        if (computed != null) {
            out.add(new OrderBy(path, new OrderBy.ByComputed(computed), values.enumName(term), permissions.visible(table, computed.name())));
            return;
        }
        ComputedFieldModel rows = key.endsWith("_aggregate") ? access.computedFields(table).stream()
                .filter(c -> c.returnsRows() && c.filterable() && (c.name() + "_aggregate").equals(key)).findFirst().orElse(null) : null;
        if (rows != null) {
            TableModel target = access.model().table(rows.target());
            BoolExp targetFilter = permissions.of(target);
            orderByAggregates(target, term, path, out,
                    (op, aggregated) -> new OrderBy.ByComputedAggregate(rows, target, targetFilter, op, aggregated));
            return;
        }
        RelationshipModel relationship = relationship(table, key);
        TableModel target = access.model().table(relationship.target());
        BoolExp targetFilter = permissions.of(target);
        if (!relationship.array()) {
            if (path.size() + 2 > limits.maxDepth()) {
                throw limits.exceeded("the order_by is more than " + limits.maxDepth() + " levels deep; the limit is " + limits.maxDepth());
            }
            List<OrderBy.Hop> next = new ArrayList<>(path);
            next.add(new OrderBy.Hop(relationship, target, targetFilter));
            orderTerms(target, term, next, out);
            return;
        }
        orderByAggregates(target, term, path, out,
                (op, aggregated) -> new OrderBy.ByAggregate(relationship, target, targetFilter, op, aggregated));
    }

    /**
     * {@code {articles_aggregate: {count: desc, max: {rating: asc}}}}: aggregates of the rows of {@code target} an array
     * relationship or a computed field gives, each made by {@code aggregate(op, column)} (column null for count).
     */
    private void orderByAggregates(TableModel target, Object term, List<OrderBy.Hop> path, List<OrderBy> out,
                                   java.util.function.BiFunction<String, ColumnModel, OrderBy.OrderTarget> aggregate) {
        for (Map.Entry<String, Object> op : values.object(term).entrySet()) {
            if (values.isNull(op.getValue())) {
                continue;
            }
            if (op.getKey().equals("count")) {
                out.add(new OrderBy(path, aggregate.apply("count", null), values.enumName(op.getValue())));
                continue;
            }
            for (Map.Entry<String, Object> opColumn : values.object(op.getValue()).entrySet()) {
                if (!values.isNull(opColumn.getValue())) {
                    ColumnModel column = column(target, opColumn.getKey());
                    out.add(new OrderBy(path, aggregate.apply(op.getKey(), column),
                            values.enumName(opColumn.getValue()), permissions.visible(target, column.column())));
                }
            }
        }
    }

    private RelationshipModel relationship(TableModel table, String name) {
        String base = name.endsWith("_aggregate") ? name.substring(0, name.length() - "_aggregate".length()) : name;
        return access.relationships(table).stream().filter(r -> r.name().equals(base)).findFirst()
                .orElseThrow(() -> new PlanException("field '" + name + "' not found in type: '" + table.typeName() + "'", "$"));
    }
}
