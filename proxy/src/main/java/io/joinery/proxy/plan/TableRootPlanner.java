package io.joinery.proxy.plan;

import graphql.language.Field;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.schema.TableModel;

import java.util.List;
import java.util.Optional;

/** A table's root fields for the role: {@code t(…)}, {@code t_by_pk(…)} and {@code t_aggregate(…)}. */
final class TableRootPlanner implements RootPlanner {

    private final RoleAccess access;
    private final ArgumentPlanner arguments;
    private final RowFieldPlanner rows;

    TableRootPlanner(RoleAccess access, ArgumentPlanner arguments, RowFieldPlanner rows) {
        this.access = access;
        this.arguments = arguments;
        this.rows = rows;
    }

    @Override
    public Optional<RootField> plan(String alias, List<Field> fields) {
        Field field = fields.getFirst();
        String name = field.getName();
        for (TableModel table : access.tables()) {
            if (name.equals(table.selectField())) {
                return Optional.of(new RootField.SelectMany(alias, arguments.select(table, field), rows.fields(table, fields)));
            }
            if (name.equals(table.byPkField())) {
                return Optional.of(new RootField.SelectByPk(alias, arguments.byPk(table, field), rows.fields(table, fields)));
            }
            if (name.equals(table.selectField() + io.joinery.proxy.schema.GraphqlSchemaBuilder.STREAM_SUFFIX)) {
                Select select = arguments.stream(table, field);
                // the cursor column last, under a name no GraphQL alias can take, for the next fetch's cursor
                List<RowField> rowFields = new java.util.ArrayList<>(rows.fields(table, fields));
                rowFields.add(new RowField.Column(QueryPlanner.CURSOR_FIELD, ((OrderBy.ByColumn) select.orderBy().getFirst().target()).column()));
                return Optional.of(new RootField.SelectMany(alias, select, rowFields));
            }
            if (name.equals(table.aggregateField())) {
                return Optional.of(new RootField.SelectAggregate(alias, arguments.select(table, field), rows.aggregateParts(table, fields)));
            }
        }
        return Optional.empty();
    }
}
