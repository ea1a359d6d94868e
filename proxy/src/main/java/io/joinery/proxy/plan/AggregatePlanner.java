package io.joinery.proxy.plan;

import graphql.language.Field;
import io.joinery.proxy.schema.ColumnModel;
import io.joinery.proxy.schema.TableModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The selection of a {@code <table>_aggregate} object ({@code t_aggregate}, {@code <rel>_aggregate},
 * {@code <function>_aggregate}) as {@link AggregatePart}s: {@code aggregate { count sum {…} … }},
 * {@code nodes {…}} (row fields, planned by {@link RowFieldPlanner}) and {@code __typename}.
 */
final class AggregatePlanner {

    private final FieldCollector collector;
    private final InputValues values;
    private final ArgumentPlanner arguments;
    private final RowFieldPlanner rows;

    AggregatePlanner(FieldCollector collector, InputValues values, ArgumentPlanner arguments, RowFieldPlanner rows) {
        this.collector = collector;
        this.values = values;
        this.arguments = arguments;
        this.rows = rows;
    }

    List<AggregatePart> parts(TableModel table, List<Field> parents) {
        List<AggregatePart> parts = new ArrayList<>();
        String typeName = table.typeName() + "_aggregate";
        for (Map.Entry<String, List<Field>> entry : collector.subFields(parents, typeName).entrySet()) {
            String alias = entry.getKey();
            String name = entry.getValue().getFirst().getName();
            switch (name) {
                case "__typename" -> parts.add(new AggregatePart.Typename(alias, typeName));
                case "nodes" -> parts.add(new AggregatePart.Nodes(alias, rows.fields(table, entry.getValue())));
                case "aggregate" -> parts.add(new AggregatePart.Aggregate(alias, functions(table, entry.getValue())));
                default -> throw new PlanException("field '" + name + "' not found in type: '" + typeName + "'", "$");
            }
        }
        return parts;
    }

    private List<AggregatePart.AggregateFunction> functions(TableModel table, List<Field> parents) {
        List<AggregatePart.AggregateFunction> functions = new ArrayList<>();
        String typeName = table.typeName() + "_aggregate_fields";
        for (Map.Entry<String, List<Field>> entry : collector.subFields(parents, typeName).entrySet()) {
            Field field = entry.getValue().getFirst();
            String alias = entry.getKey();
            switch (field.getName()) {
                case "__typename" -> functions.add(new AggregatePart.AggregateTypename(alias, typeName));
                case "count" -> functions.add(count(table, alias, field));
                default -> functions.add(columnsOp(table, alias, field.getName(), entry.getValue()));
            }
        }
        return functions;
    }

    /** {@code count(columns: […], distinct: …)}. */
    private AggregatePart.Count count(TableModel table, String alias, Field field) {
        List<ColumnModel> columns = new ArrayList<>();
        Object columnsArg = values.argument(field, "columns");
        if (columnsArg != null && !values.isNull(columnsArg)) {
            for (Object item : values.list(columnsArg)) {
                columns.add(arguments.column(table, values.enumName(item)));
            }
        }
        Object distinct = values.argument(field, "distinct");
        return new AggregatePart.Count(alias, columns, distinct != null && !values.isNull(distinct) && values.bool(distinct));
    }

    /** {@code sum { a b }}, {@code max {…}}, …: one operation over the selected columns. */
    private AggregatePart.ColumnsOp columnsOp(TableModel table, String alias, String op, List<Field> fields) {
        String opType = table.typeName() + "_" + op + "_fields";
        List<AggregatePart.OpColumn> columns = new ArrayList<>();
        for (Map.Entry<String, List<Field>> c : collector.subFields(fields, opType).entrySet()) {
            String columnName = c.getValue().getFirst().getName();
            columns.add(new AggregatePart.OpColumn(c.getKey(), columnName.equals("__typename") ? null : arguments.column(table, columnName)));
        }
        return new AggregatePart.ColumnsOp(alias, op, columns, opType);
    }
}
