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
 *     any allows them, the union of their columns and computed fields. Hasura returns a column in
 *     a row only where the filter of a parent that grants the column holds, null elsewhere (cells
 *     nulled by a CASE over each column). Joinery does not null cells yet: it combines parents only
 *     where the union is exact — they grant the same columns and computed fields, or they have the
 *     same filter — and otherwise reports the inherited role as inconsistent on that table, which
 *     it then does not see, rather than show a column in rows its grant does not cover. A
 *     permission of the role's own on the table resolves it.</li>
 * <li>a remote schema: the parents' permission when those that have one have the same SDL; when
 *     they differ, reported, and the role sees nothing of the remote (Hasura's rule for remote
 *     schema permissions).</li>
 * </ul>
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

    /** {@code table}'s select permissions with those of the inherited roles ({@code ordered}) added. */
    static Map<String, SelectPermission> select(List<InheritedRole> ordered, TableModel table, Consumer<String> problem) {
        Map<String, SelectPermission> permissions = new LinkedHashMap<>(table.selectPermissions());
        for (InheritedRole role : ordered) {
            if (permissions.containsKey(role.roleName())) {
                continue;
            }
            List<SelectPermission> parents = role.roleSet().stream().map(permissions::get).filter(Objects::nonNull).toList();
            if (parents.size() == 1) {
                permissions.put(role.roleName(), parents.getFirst());
            } else if (parents.size() > 1) {
                SelectPermission combined = combine(table, parents);
                if (combined == null) {
                    problem.accept("inherited role '" + role.roleName() + "', table " + table.name() + ": its parents " + role.roleSet()
                            + " grant different columns under different filters; Hasura would null each cell outside the filters of the"
                            + " parents granting its column, which Joinery does not do yet; give the role its own select permission on the"
                            + " table (until then it does not see the table)");
                } else {
                    permissions.put(role.roleName(), combined);
                }
            }
        }
        return permissions;
    }

    /** The union of the parents' select permissions, or null when it needs cells nulled (Note [Inherited roles]). */
    private static SelectPermission combine(TableModel table, List<SelectPermission> parents) {
        List<Set<String>> columns = parents.stream().map(parent -> columns(table, parent)).toList();
        List<Set<String>> computed = parents.stream().map(parent -> (Set<String>) new HashSet<>(parent.computedFields())).toList();
        List<JsonNode> filters = parents.stream().map(InheritedRoles::filter).toList();
        boolean sameGrants = columns.stream().distinct().count() == 1 && computed.stream().distinct().count() == 1;
        boolean sameFilters = filters.stream().distinct().count() == 1;
        if (!sameGrants && !sameFilters) {
            return null;
        }
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
