package io.joinery.proxy.plan;

import io.joinery.proxy.schema.ColumnModel;
import io.joinery.proxy.schema.TableModel;

import java.util.List;

/**
 * The rows of one table to select: filter (user AND permission), order, distinct, limit and
 * offset. {@code permissionLimit} is the role's row limit, applied as the smaller of the two.
 */
public record Select(TableModel table, BoolExp where, List<OrderBy> orderBy, List<ColumnModel> distinctOn,
                     PlanValue limit, PlanValue offset, Integer permissionLimit) {

    public Select {
        orderBy = List.copyOf(orderBy);
        distinctOn = List.copyOf(distinctOn);
    }
}
