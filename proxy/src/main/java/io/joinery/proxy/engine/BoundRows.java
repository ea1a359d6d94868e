package io.joinery.proxy.engine;

import graphql.language.Argument;
import graphql.language.Field;
import graphql.language.Node;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.VariableReference;
import io.joinery.proxy.schema.RelationshipModel;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.schema.TableModel;
import io.joinery.proxy.schema.TableWrites;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Note [Rows bound as one parameter]: an insert's {@code objects: $rows} (or {@code object: $row})
 * is an input object variable, so structural: the plan would be keyed on its value, a plan per set
 * of rows. When every row gives the same columns and no relationship (the common case), the rows go
 * to Postgres as ONE JSON parameter, unpacked by {@code jsonb_to_recordset}, and the plan is keyed
 * on the columns alone: one plan serves any rows with those columns, however many. Rows that differ
 * in their columns (a column one row leaves to its default another gives) or insert through
 * relationships keep the plan keyed on their value. Only a variable used nowhere else in the
 * operation qualifies, since the plan reads no other use of it.
 */
final class BoundRows {

    private BoundRows() {
    }

    /**
     * The variables given whole as the rows of a root insert field, each with the names of its
     * table's relationships the role may insert through and of its columns of other types (a row
     * naming one keeps its value in the key).
     */
    static Map<String, Set<String>> candidates(OperationDefinition operation, RoleAccess access, List<String> structural) {
        if (operation.getOperation() != OperationDefinition.Operation.MUTATION) {
            return Map.of();
        }
        Map<String, Set<String>> out = new HashMap<>();
        for (Selection<?> selection : operation.getSelectionSet().getSelections()) {
            if (!(selection instanceof Field field)) {
                continue;
            }
            Optional<TableModel> table = insertTable(access, field.getName());
            if (table.isEmpty()) {
                continue;
            }
            for (Argument argument : field.getArguments()) {
                if ((argument.getName().equals("objects") || argument.getName().equals("object"))
                        && argument.getValue() instanceof VariableReference reference && structural.contains(reference.getName())) {
                    Set<String> valueKeyed = new LinkedHashSet<>();
                    access.insertRelationships(table.get()).stream().map(RelationshipModel::name).forEach(valueKeyed::add);
                    // Columns of other types (PostGIS, ltree, …) take their values through their own casts: keyed by value.
                    access.insertColumns(table.get()).stream().filter(column -> column.kind() == io.joinery.proxy.schema.ScalarKind.OTHER)
                            .forEach(column -> valueKeyed.add(column.graphqlName()));
                    out.put(reference.getName(), valueKeyed);
                }
            }
        }
        out.keySet().removeIf(name -> uses(operation, name) != 1);
        return Map.copyOf(out);
    }

    /**
     * The plan cache's key for the value of such a variable: its columns, sorted, when every row
     * gives the same ones and names no relationship; null when the value itself must be the key.
     */
    static List<String> columns(Object value, Set<String> valueKeyed) {
        List<?> rows = value instanceof List<?> list ? list : value == null ? List.of() : List.of(value);
        Set<String> columns = null;
        for (Object row : rows) {
            if (!(row instanceof Map<?, ?> map)) {
                return null;
            }
            Set<String> keys = new TreeSet<>();
            map.keySet().forEach(key -> keys.add(String.valueOf(key)));
            if (columns != null && !columns.equals(keys)) {
                return null;
            }
            columns = keys;
        }
        if (columns == null || columns.isEmpty() || columns.stream().anyMatch(valueKeyed::contains)) {
            return null;
        }
        List<String> key = new ArrayList<>();
        key.add("joinery:rows");
        key.addAll(columns);
        return key;
    }

    private static Optional<TableModel> insertTable(RoleAccess access, String fieldName) {
        for (TableModel table : access.model().allTables()) {
            Optional<TableWrites> writes = access.writes(table);
            if (writes.isPresent() && access.insert(table).isPresent()
                    && (fieldName.equals(writes.get().insert()) || fieldName.equals(writes.get().insertOne()))) {
                return Optional.of(table);
            }
        }
        return Optional.empty();
    }

    private static int uses(Node<?> node, String variable) {
        int count = node instanceof VariableReference reference && reference.getName().equals(variable) ? 1 : 0;
        for (Node<?> child : node.getChildren()) {
            count += uses(child, variable);
        }
        return count;
    }
}
