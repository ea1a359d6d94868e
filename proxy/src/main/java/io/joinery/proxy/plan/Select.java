package io.joinery.proxy.plan;

import io.joinery.proxy.schema.ColumnModel;
import io.joinery.proxy.schema.TableModel;

import java.util.List;
import java.util.Map;

/**
 * The rows of one table to select: filter (user AND permission), order, distinct, limit and
 * offset. {@code permissionLimit} is the role's row limit, applied as the smaller of the two.
 * {@code redactions}: the role's fields of the table (columns by SQL name, scalar computed fields by
 * name) that it sees only in the rows of a filter, which every value read from these rows goes
 * through (Note [Redacted cells] in {@code schema.InheritedRoles}).
 */
public record Select(TableModel table, BoolExp where, List<OrderBy> orderBy, List<ColumnModel> distinctOn,
                     PlanValue limit, PlanValue offset, Integer permissionLimit, Map<String, BoolExp> redactions) {

    public Select {
        orderBy = List.copyOf(orderBy);
        distinctOn = List.copyOf(distinctOn);
        redactions = Map.copyOf(redactions);
    }

    /** Rows whose every value the role sees. */
    public Select(TableModel table, BoolExp where, List<OrderBy> orderBy, List<ColumnModel> distinctOn,
                  PlanValue limit, PlanValue offset, Integer permissionLimit) {
        this(table, where, orderBy, distinctOn, limit, offset, permissionLimit, Map.of());
    }
}
