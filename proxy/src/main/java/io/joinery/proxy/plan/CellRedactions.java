package io.joinery.proxy.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.schema.TableModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A role's redacted cells, planned once per role (Note [Redacted cells] in {@code schema.InheritedRoles}): per
 * table, each field the role sees only in some of its rows, with the {@link BoolExp} of those rows. Plans share
 * these trees; session variables in them are bound per request, so one role's users share them too.
 */
public final class CellRedactions {

    /** A role that sees every field it may see in every row it sees. */
    public static final CellRedactions NONE = new CellRedactions(Map.of());

    private final Map<String, Map<String, BoolExp>> byTable;

    private CellRedactions(Map<String, Map<String, BoolExp>> byTable) {
        this.byTable = byTable;
    }

    /**
     * Plans the role's cell filters. One that does not plan (the consistency checks make that unlikely) hides its
     * field in every row rather than show it.
     */
    public static CellRedactions of(RoleAccess access) {
        PermissionFilters filters = new PermissionFilters(access, new InputValues(Map.of(), Set.of()));
        Map<String, Map<String, BoolExp>> byTable = new LinkedHashMap<>();
        for (TableModel table : access.tables()) {
            Map<String, JsonNode> redactions = access.redactions(table);
            if (redactions.isEmpty()) {
                continue;
            }
            Map<String, BoolExp> planned = new LinkedHashMap<>();
            redactions.forEach((field, filter) -> planned.put(field, plan(filters, table, filter)));
            byTable.put(table.key(), Map.copyOf(planned));
        }
        return byTable.isEmpty() ? NONE : new CellRedactions(Map.copyOf(byTable));
    }

    private static BoolExp plan(PermissionFilters filters, TableModel table, JsonNode filter) {
        try {
            return filters.of(table, filter);
        } catch (PlanException e) {
            return new BoolExp.Or(List.of());
        }
    }

    /** The role's redacted fields of {@code table}, each with the rows where it sees them. */
    Map<String, BoolExp> of(TableModel table) {
        return byTable.getOrDefault(table.key(), Map.of());
    }

    /** The rows of {@code table} where the role sees {@code field}: {@link BoolExp#TRUE} when it sees it in all. */
    BoolExp visible(TableModel table, String field) {
        return of(table).getOrDefault(field, BoolExp.TRUE);
    }

    /** {@code comparison} on {@code field}, made on the value the role sees. */
    BoolExp redacted(TableModel table, String field, BoolExp comparison) {
        BoolExp visible = visible(table, field);
        return visible.equals(BoolExp.TRUE) ? comparison : new BoolExp.Redacted(visible, comparison);
    }
}
