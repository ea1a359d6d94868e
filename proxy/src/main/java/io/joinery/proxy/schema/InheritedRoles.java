package io.joinery.proxy.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.joinery.admin.metadata.InheritedRole;
import io.joinery.admin.metadata.RemoteSchemaPermission;
import io.joinery.admin.metadata.SelectPermission;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The permissions of inherited roles, derived from their parents'.
 *
 * <p>Note [Inherited roles]: as Hasura's {@code inherited_roles}, an inherited role that has a
 * permission of its own on an object keeps it; elsewhere it gets what its {@code role_set} gives
 * together, parents resolved first (an inherited role may inherit from another):
 * <ul>
 * <li>select on a table: the rows any parent may select ({@code _or} of their filters; no filter
 *     when one has none), the largest of their limits (none when one has none), aggregations when
 *     any allows them, the union of their columns and computed fields, each cell redacted as Note
 *     [Redacted cells] says.</li>
 * <li>insert, update and delete on a table (each apart): the parents' permission when those that have one
 *     have the same; when they differ, reported, and the role may not do that mutation (Hasura's
 *     {@code CheckPermission}: it takes no union of writes, whose checks and presets do not combine).</li>
 * <li>a remote schema: the parents' permission when those that have one have the same SDL; when
 *     they differ, reported, and the role sees nothing of the remote (Hasura's rule for remote
 *     schema permissions).</li>
 * </ul>
 *
 * <p>Note [Redacted cells]: as in Hasura (its Notes [Inherited roles architecture for read queries]
 * and [SQL generation for inherited roles]), an inherited role sees a field's value in a row only
 * where the filter of a parent that grants the field holds; elsewhere the value is null. The parents
 * {@code manager} (name, remarks where {@code manager_id = X}) and {@code employee} (name, salary where
 * {@code id = Y}) give a role that sees the rows of either filter, the name in all of them, the
 * salary only in rows where {@code id = Y} and the remarks only where {@code manager_id = X}:
 * <pre>
 * SELECT name, CASE WHEN id = Y THEN salary ELSE NULL END, CASE WHEN manager_id = X THEN remarks ELSE NULL END
 *   FROM employee WHERE manager_id = X OR id = Y
 * </pre>
 * Per field this computes, once per metadata version, the filter of the rows where the role sees it
 * (the {@code _or} of the granting parents' filters; a parent that is itself inherited gives its own
 * cell filter for the field, so a nested role never sees a cell its parent nulls, where Hasura would
 * take the parent's row filter). A field every parent grants (none of them redacting it), or one a
 * parent grants without a filter, or whose filter is the role's row filter, is not redacted. A
 * redacted column is nullable in the role's schema. The planner plans each cell filter once per role
 * ({@code plan.CellRedactions}), and the compiler writes {@code CASE WHEN <filter> THEN <value> ELSE NULL
 * END} wherever the role's request reads the value: selected columns and scalar computed fields, the
 * caller's {@code where} (directly and through relationships), {@code order_by}, {@code distinct_on},
 * aggregates, and the keys a remote join sends (Hasura sends those unredacted; Joinery sends a null key,
 * which joins nothing). Join conditions of relationships and permission filters read the stored value,
 * as in Hasura.
 */
final class InheritedRoles {

    private InheritedRoles() {
    }

    /** The inherited roles, each after the inherited roles it inherits from (the metadata has no cycle). */
    static List<InheritedRole> ordered(List<InheritedRole> roles) {
        Map<String, InheritedRole> byName = new LinkedHashMap<>();
        roles.forEach(role -> byName.put(role.roleName(), role));
        List<InheritedRole> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        roles.forEach(role -> place(role, byName, placed, ordered));
        return ordered;
    }

    private static void place(InheritedRole role, Map<String, InheritedRole> byName, Set<String> placed, List<InheritedRole> ordered) {
        if (!placed.add(role.roleName())) {
            return;
        }
        for (String parent : role.roleSet()) {
            InheritedRole inherited = byName.get(parent);
            if (inherited != null) {
                place(inherited, byName, placed, ordered);
            }
        }
        ordered.add(role);
    }

    /** A table's select permissions by role, and per inherited role its redacted fields (Note [Redacted cells]). */
    record Selects(Map<String, SelectPermission> permissions, Map<String, Map<String, JsonNode>> redactions) {
    }

    /** {@code table}'s select permissions with those of the inherited roles ({@code ordered}) added. */
    static Selects select(List<InheritedRole> ordered, TableModel table) {
        Map<String, SelectPermission> permissions = new LinkedHashMap<>(table.selectPermissions());
        Map<String, Map<String, JsonNode>> redactions = new LinkedHashMap<>();
        for (InheritedRole role : ordered) {
            if (permissions.containsKey(role.roleName())) {
                continue;
            }
            List<String> parents = role.roleSet().stream().filter(permissions::containsKey).toList();
            if (parents.size() == 1) {
                permissions.put(role.roleName(), permissions.get(parents.getFirst()));
                redactions.put(role.roleName(), redactions.getOrDefault(parents.getFirst(), Map.of()));
            } else if (parents.size() > 1) {
                List<SelectPermission> granted = parents.stream().map(permissions::get).toList();
                List<Map<String, JsonNode>> redacted = parents.stream().map(parent -> redactions.getOrDefault(parent, Map.of())).toList();
                SelectPermission combined = combine(table, granted);
                permissions.put(role.roleName(), combined);
                redactions.put(role.roleName(), redactions(table, granted, redacted, filter(combined)));
            }
        }
        redactions.values().removeIf(Map::isEmpty);
        return new Selects(permissions, redactions);
    }

    /** The union of the parents' select permissions (Note [Inherited roles]). */
    private static SelectPermission combine(TableModel table, List<SelectPermission> parents) {
        List<Set<String>> columns = parents.stream().map(parent -> columns(table, parent)).toList();
        List<JsonNode> filters = parents.stream().map(InheritedRoles::filter).toList();
        Set<String> allColumns = new LinkedHashSet<>();
        table.columns().forEach(column -> {
            if (columns.stream().anyMatch(granted -> granted.contains(column.column()))) {
                allColumns.add(column.column());
            }
        });
        Set<String> allComputed = new LinkedHashSet<>();
        parents.forEach(parent -> allComputed.addAll(parent.computedFields()));
        Integer limit = parents.stream().anyMatch(parent -> parent.limit() == null) ? null
                : parents.stream().mapToInt(SelectPermission::limit).max().orElseThrow();
        boolean aggregations = parents.stream().anyMatch(SelectPermission::allowAggregations);
        return new SelectPermission(List.copyOf(allColumns), union(filters), limit, aggregations, List.copyOf(allComputed));
    }

    /**
     * The fields of the combined permission that the role sees only in some of its rows, each with the filter of
     * those rows ({@code rowFilter} is the role's; Note [Redacted cells]).
     */
    private static Map<String, JsonNode> redactions(TableModel table, List<SelectPermission> parents, List<Map<String, JsonNode>> redacted,
                                                    JsonNode rowFilter) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        List<String> fields = new ArrayList<>();
        table.columns().forEach(column -> fields.add(column.column()));
        parents.forEach(parent -> parent.computedFields().stream().filter(field -> !fields.contains(field)).forEach(fields::add));
        for (String field : fields) {
            List<JsonNode> cells = new ArrayList<>();
            boolean everywhere = false;
            boolean allGrant = true;
            for (int i = 0; i < parents.size(); i++) {
                if (!grants(table, parents.get(i), field)) {
                    allGrant = false;
                    continue;
                }
                JsonNode cell = redacted.get(i).containsKey(field) ? redacted.get(i).get(field) : filter(parents.get(i));
                everywhere |= cell == null;
                cells.add(cell);
            }
            boolean parentRedacts = redacted.stream().anyMatch(parent -> parent.containsKey(field));
            if (cells.isEmpty() || everywhere || (allGrant && !parentRedacts)) {
                continue;
            }
            JsonNode visible = union(cells);
            if (!visible.equals(rowFilter)) {
                out.put(field, visible);
            }
        }
        return Map.copyOf(out);
    }

    private static boolean grants(TableModel table, SelectPermission permission, String field) {
        return table.column(field).isPresent() ? permission.allowsColumn(field) : permission.computedFields().contains(field);
    }

    private static Set<String> columns(TableModel table, SelectPermission permission) {
        Set<String> granted = new HashSet<>();
        table.columns().stream().filter(column -> permission.allowsColumn(column.column())).forEach(column -> granted.add(column.column()));
        return granted;
    }

    /** A parent's filter, null for every row (none, or {@code {}}). */
    private static JsonNode filter(SelectPermission permission) {
        JsonNode filter = permission.filter();
        return filter == null || filter.isNull() || (filter.isObject() && filter.isEmpty()) ? null : filter;
    }

    private static JsonNode union(List<JsonNode> filters) {
        if (filters.stream().anyMatch(Objects::isNull)) {
            return null;
        }
        if (filters.stream().distinct().count() == 1) {
            return filters.getFirst();
        }
        ObjectNode or = JsonNodeFactory.instance.objectNode();
        filters.stream().distinct().forEach(or.putArray("_or")::add);
        return or;
    }

    /** A table's insert, update and delete permissions with those of the inherited roles ({@code ordered}) added. */
    static TableWrites writes(List<InheritedRole> ordered, TableModel table, TableWrites writes, Consumer<String> problem) {
        return writes.withPermissions(agreed(ordered, table, "insert", writes.inserts(), problem),
                agreed(ordered, table, "update", writes.updates(), problem), agreed(ordered, table, "delete", writes.deletes(), problem));
    }

    /** {@code own} with, for each inherited role without one, the permission its parents agree on (Note [Inherited roles]). */
    private static <P> Map<String, P> agreed(List<InheritedRole> ordered, TableModel table, String kind, Map<String, P> own,
                                             Consumer<String> problem) {
        Map<String, P> permissions = new LinkedHashMap<>(own);
        for (InheritedRole role : ordered) {
            if (permissions.containsKey(role.roleName())) {
                continue;
            }
            List<P> parents = role.roleSet().stream().map(permissions::get).filter(Objects::nonNull).distinct().toList();
            if (parents.size() == 1) {
                permissions.put(role.roleName(), parents.getFirst());
            } else if (parents.size() > 1) {
                problem.accept("inherited role '" + role.roleName() + "', table " + table.name() + ": its parents " + role.roleSet()
                        + " have different " + kind + " permissions; give the role its own (until then it may not " + kind + ")");
            }
        }
        return permissions;
    }

    /** A remote schema's permissions with those of the inherited roles ({@code ordered}) added. */
    static Map<String, RemoteSchemaPermission> remote(List<InheritedRole> ordered, String remote, Map<String, RemoteSchemaPermission> own,
                                                      Consumer<String> problem) {
        Map<String, RemoteSchemaPermission> permissions = new LinkedHashMap<>(own);
        for (InheritedRole role : ordered) {
            if (permissions.containsKey(role.roleName())) {
                continue;
            }
            List<RemoteSchemaPermission> parents = role.roleSet().stream().map(permissions::get).filter(Objects::nonNull).toList();
            if (parents.isEmpty()) {
                continue;
            }
            if (parents.stream().map(parent -> parent.schema().strip()).distinct().count() == 1) {
                permissions.put(role.roleName(), parents.getFirst());
            } else {
                problem.accept("inherited role '" + role.roleName() + "', remote schema '" + remote + "': its parents " + role.roleSet()
                        + " have different permissions on the remote; give the role its own (until then it sees nothing of the remote)");
            }
        }
        return permissions;
    }
}
