package io.joinery.proxy.plan;

import graphql.language.Field;
import io.joinery.proxy.schema.ComputedFieldModel;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.schema.TableModel;

import java.util.List;
import java.util.Optional;

/**
 * A tracked function's root fields: {@code fn(args: …)}, its rows selected like a table's, and
 * {@code fn_aggregate(args: …)} when the role may aggregate the function's table.
 */
final class FunctionRootPlanner implements RootPlanner {

    private final RoleAccess access;
    private final ArgumentPlanner arguments;
    private final RowFieldPlanner rows;

    FunctionRootPlanner(RoleAccess access, ArgumentPlanner arguments, RowFieldPlanner rows) {
        this.access = access;
        this.arguments = arguments;
        this.rows = rows;
    }

    @Override
    public Optional<RootField> plan(String alias, List<Field> fields) {
        Field field = fields.getFirst();
        String name = field.getName();
        for (ComputedFieldModel function : access.functions()) {
            if (name.equals(function.name())) {
                TableModel target = access.model().table(function.target());
                return Optional.of(new RootField.SelectFunction(alias, function, arguments.functionArguments(function, field),
                        arguments.select(target, field), rows.fields(target, fields)));
            }
            if (name.equals(function.name() + "_aggregate") && access.aggregations(access.model().table(function.target()))) {
                TableModel target = access.model().table(function.target());
                return Optional.of(new RootField.SelectFunctionAggregate(alias, function, arguments.functionArguments(function, field),
                        arguments.select(target, field), rows.aggregateParts(target, fields)));
            }
        }
        return Optional.empty();
    }
}
