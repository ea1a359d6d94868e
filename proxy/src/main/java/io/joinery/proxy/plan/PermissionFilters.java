package io.joinery.proxy.plan;

import io.joinery.admin.metadata.SelectPermission;
import io.joinery.policies.boolexp.BoolExpParser;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.schema.TableModel;

/**
 * The role's select permission filters, as {@link BoolExp}s: the admin's conditions from the
 * metadata, read by the one parser of boolean expressions and planned by {@link PermissionFilterPlanner};
 * {@link BoolExp.PermissionRoot} marks a filter that refers to the row it is for from deeper down
 * ({@code ["$", column]}).
 */
final class PermissionFilters {

    private final RoleAccess access;
    private final InputValues values;
    private final CellRedactions cells;

    PermissionFilters(RoleAccess access, InputValues values, CellRedactions cells) {
        this.access = access;
        this.values = values;
        this.cells = cells;
    }

    PermissionFilters(RoleAccess access, InputValues values) {
        this(access, values, CellRedactions.NONE);
    }

    /** The role's redacted fields of {@code table} (Note [Redacted cells] in {@code schema.InheritedRoles}). */
    java.util.Map<String, BoolExp> redactions(TableModel table) {
        return cells.of(table);
    }

    /** The rows of {@code table} where the role sees {@code field}'s value; {@link BoolExp#TRUE} for all. */
    BoolExp visible(TableModel table, String field) {
        return cells.visible(table, field);
    }

    /** The caller's {@code comparison} on {@code field} of {@code table}, made on the value the role sees. */
    BoolExp redacted(TableModel table, String field, BoolExp comparison) {
        return cells.redacted(table, field, comparison);
    }

    /** The role's filter on the rows of {@code table}; {@link BoolExp#TRUE} when it has none. */
    BoolExp of(TableModel table) {
        return of(table, access.permission(table).orElse(null));
    }

    BoolExp of(TableModel table, SelectPermission permission) {
        return of(table, permission == null ? null : permission.filter());
    }

    /** A permission's boolean expression ({@code filter}, {@code check}) on {@code table}; {@link BoolExp#TRUE} when absent or empty. */
    BoolExp of(TableModel table, com.fasterxml.jackson.databind.JsonNode filter) {
        if (filter == null || filter.isNull() || filter.isEmpty()) {
            return BoolExp.TRUE;
        }
        TableFields fields = new TableFields(access.model(), table);
        PermissionFilterPlanner planner = new PermissionFilterPlanner(values, table);
        BoolExp planned = planner.plan(BoolExpParser.parse(filter, fields), fields);
        return planner.rootReferenced() ? new BoolExp.PermissionRoot(planned) : planned;
    }
}
