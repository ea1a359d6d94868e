package io.joinery.proxy.plan;

import io.joinery.admin.metadata.SelectPermission;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.schema.TableModel;

/**
 * The role's select permission filters, as {@link BoolExp}s: the admin's conditions from the
 * metadata, planned without the callers' limits; {@link BoolExp.PermissionRoot} marks a filter that
 * refers to the row it is for from deeper down ({@code ["$", column]}).
 */
final class PermissionFilters {

    private final RoleAccess access;
    private final InputValues values;

    PermissionFilters(RoleAccess access, InputValues values) {
        this.access = access;
        this.values = values;
    }

    /** The role's filter on the rows of {@code table}; {@link BoolExp#TRUE} when it has none. */
    BoolExp of(TableModel table) {
        return of(table, access.permission(table).orElse(null));
    }

    BoolExp of(TableModel table, SelectPermission permission) {
        if (permission == null || permission.filter() == null || permission.filter().isNull() || permission.filter().isEmpty()) {
            return BoolExp.TRUE;
        }
        Object filter = JsonValues.toJava(permission.filter());
        BoolExpPlanner planner = BoolExpPlanner.forPermission(access.model(), values, table);
        BoolExp planned = planner.boolExp(table, filter);
        return planner.rootReferenced() ? new BoolExp.PermissionRoot(planned) : planned;
    }
}
