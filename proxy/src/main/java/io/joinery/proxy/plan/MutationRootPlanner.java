package io.joinery.proxy.plan;

import com.fasterxml.jackson.databind.JsonNode;
import graphql.language.Field;
import io.joinery.admin.metadata.InsertPermission;
import io.joinery.admin.metadata.UpdatePermission;
import io.joinery.policies.boolexp.ComparisonOperator;
import io.joinery.proxy.schema.ColumnModel;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.schema.TableModel;
import io.joinery.proxy.schema.TableWrites;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A table's mutation root fields as {@link RootField.Mutation}s: the client's rows, assignments and
 * {@code where} with the role's permission folded in (Note [Who may mutate] in
 * {@code schema.MutationFields}): presets as values of their columns, whatever the client sent
 * (it cannot name them: they are not in its input types); the update or delete {@code filter}
 * ANDed into the {@code where}; the insert or update {@code check} kept for the compiler, which
 * tests the written rows with it inside the statement.
 */
final class MutationRootPlanner implements RootPlanner {

    private final RoleAccess access;
    private final InputValues values;
    private final BoolExpPlanner filters;
    private final PermissionFilters permissions;
    private final FieldCollector collector;
    private final RowFieldPlanner rows;

    MutationRootPlanner(RoleAccess access, InputValues values, BoolExpPlanner filters, PermissionFilters permissions,
                        FieldCollector collector, RowFieldPlanner rows) {
        this.access = access;
        this.values = values;
        this.filters = filters;
        this.permissions = permissions;
        this.collector = collector;
        this.rows = rows;
    }

    @Override
    public Optional<RootField> plan(String alias, List<Field> fields) {
        String name = fields.getFirst().getName();
        for (TableModel table : access.model().allTables()) {
            Optional<TableWrites> writes = access.writes(table);
            if (writes.isPresent() && writes.get().rootFields().contains(name)) {
                return Optional.of(plan(alias, fields, table, writes.get(), name));
            }
        }
        return Optional.empty();
    }

    private RootField plan(String alias, List<Field> fields, TableModel table, TableWrites writes, String name) {
        Field field = fields.getFirst();
        if (name.equals(writes.insert())) {
            Object objects = values.argument(field, "objects");
            Write.Insert insert = values.bound(objects) != null ? bound(table, values.bound(objects), false, field)
                    : insert(table, values.list(objects), field);
            return new RootField.Mutation(alias, insert, response(table, fields));
        }
        if (name.equals(writes.insertOne())) {
            Object object = values.argument(field, "object");
            Write.Insert insert = values.bound(object) != null ? bound(table, values.bound(object), true, field)
                    : insert(table, List.of(object), field);
            return new RootField.Mutation(alias, insert, row(table, fields));
        }
        if (name.equals(writes.update())) {
            return new RootField.Mutation(alias, update(table, argument -> values.argument(field, argument),
                    filters.where(table, values.argument(field, "where")), name), response(table, fields));
        }
        if (name.equals(writes.updateByPk())) {
            return new RootField.Mutation(alias, update(table, argument -> values.argument(field, argument),
                    byPk(table, values.object(values.argument(field, "pk_columns"))), name),
                    row(table, fields));
        }
        if (name.equals(writes.updateMany())) {
            List<Write.Update> updates = new ArrayList<>();
            for (Object item : values.list(values.argument(field, "updates"))) {
                Map<String, Object> entry = values.object(item);
                updates.add(update(table, entry::get, filters.where(table, entry.get("where")), name));
            }
            return new RootField.Mutation(alias, new Write.UpdateMany(table, updates), new MutationOutput.Responses(response(table, fields)));
        }
        if (name.equals(writes.delete())) {
            return new RootField.Mutation(alias, delete(table, filters.where(table, values.argument(field, "where"))), response(table, fields));
        }
        if (name.equals(writes.deleteByPk())) {
            Map<String, Object> keys = new LinkedHashMap<>();
            field.getArguments().forEach(argument -> keys.put(argument.getName(), argument.getValue()));
            return new RootField.Mutation(alias, delete(table, byPk(table, keys)), row(table, fields));
        }
        throw new PlanException("field '" + name + "' not found in type: 'mutation_root'", "$.selectionSet." + name);
    }

    // ---- writes

    private Write.Insert insert(TableModel table, List<Object> objects, Field field) {
        return insert(table, objects, values.argument(field, "on_conflict"), Set.of());
    }

    /**
     * The rows {@code objects} give, with the role's insert permission on {@code table}; a field naming
     * a relationship inserts through it (Note [Nested inserts] in {@code compile.MutationCompiler}).
     * {@code linked} are the columns a parent's array relationship fills in: a value the client gives
     * them is replaced, as in Hasura.
     */
    private Write.Insert insert(TableModel table, List<Object> objects, Object onConflict, Set<String> linked) {
        InsertPermission permission = access.insert(table).orElseThrow();
        Map<String, ColumnModel> allowed = byName(access.insertColumns(table));
        List<Map<ColumnModel, PlanValue>> given = new ArrayList<>();
        List<Write.Nested> nested = new ArrayList<>();
        Set<ColumnModel> columns = new LinkedHashSet<>();
        for (Object object : objects) {
            Map<ColumnModel, PlanValue> row = new LinkedHashMap<>();
            List<Write.Related> before = new ArrayList<>();
            List<Write.Related> after = new ArrayList<>();
            for (Map.Entry<String, Object> entry : values.object(object).entrySet()) {
                Optional<io.joinery.proxy.schema.RelationshipModel> relationship = access.insertRelationship(table, entry.getKey());
                if (relationship.isPresent()) {
                    (relationship.get().array() ? after : before).add(related(relationship.get(), entry.getValue()));
                    continue;
                }
                ColumnModel column = column(allowed, entry.getKey(), table.typeName() + "_insert_input");
                if (!linked.contains(column.column())) {
                    row.put(column, value(column, entry.getValue()));
                }
            }
            for (Write.Related parent : before) {
                for (String key : parent.relationship().mapping().keySet()) {
                    if (row.keySet().stream().anyMatch(column -> column.column().equals(key))) {
                        throw new PlanException("cannot insert object relationship \"" + parent.relationship().name() + "\" as \""
                                + key + "\" column values are already determined", "$");
                    }
                }
            }
            row.putAll(presets(table, permission.set()));
            given.add(row);
            nested.add(new Write.Nested(before, after));
        }
        given.forEach(row -> columns.addAll(row.keySet()));
        // Columns in the table's order, so that the same keys in another order give the same SQL.
        List<ColumnModel> ordered = table.columns().stream().filter(columns::contains).toList();
        List<List<PlanValue>> values = new ArrayList<>();
        for (Map<ColumnModel, PlanValue> row : given) {
            List<PlanValue> line = new ArrayList<>();
            ordered.forEach(column -> line.add(row.get(column)));
            values.add(line);
        }
        boolean anyNested = nested.stream().anyMatch(n -> !n.before().isEmpty() || !n.after().isEmpty());
        return new Write.Insert(table, ordered, values, onConflict(table, onConflict),
                permissions.of(table, permission.check()), anyNested ? nested : List.of(), null);
    }

    /**
     * The rows of the variable {@code variable}, bound as one parameter (Note [Rows bound as one
     * parameter] in {@code engine.BoundRows}): every row gives the same columns, which the plan
     * takes from this request's rows.
     */
    private Write.Insert bound(TableModel table, String variable, boolean single, Field field) {
        InsertPermission permission = access.insert(table).orElseThrow();
        Map<String, ColumnModel> allowed = byName(access.insertColumns(table));
        Object value = values.resolve(new graphql.language.VariableReference(variable));
        Object first = value instanceof List<?> rows ? rows.getFirst() : value;
        Set<ColumnModel> given = new LinkedHashSet<>();
        for (String key : values.object(first).keySet()) {
            given.add(column(allowed, key, table.typeName() + "_insert_input"));
        }
        Map<ColumnModel, PlanValue> presets = presets(table, permission.set());
        List<ColumnModel> ordered = table.columns().stream().filter(c -> given.contains(c) || presets.containsKey(c)).toList();
        List<PlanValue> row = new ArrayList<>();
        ordered.forEach(column -> row.add(presets.get(column)));
        return new Write.Insert(table, ordered, List.of(row), onConflict(table, values.argument(field, "on_conflict")),
                permissions.of(table, permission.check()), List.of(),
                new Write.BoundRows(new PlanValue.Variable(variable), single, ordered.stream().filter(given::contains).toList()));
    }

    /** {@code {data, on_conflict}} of a relationship's {@code t_obj_rel_insert_input} or {@code t_arr_rel_insert_input}. */
    private Write.Related related(io.joinery.proxy.schema.RelationshipModel relationship, Object argument) {
        Map<String, Object> input = values.object(argument);
        TableModel target = access.model().table(relationship.target());
        Object data = input.get("data");
        if (relationship.array()) {
            return new Write.Related(relationship, insert(target, data == null || values.isNull(data) ? List.of() : values.list(data),
                    input.get("on_conflict"), Set.copyOf(relationship.mapping().values())));
        }
        return new Write.Related(relationship, insert(target, List.of(data), input.get("on_conflict"), Set.of()));
    }

    /** {@code on_conflict: {constraint, update_columns, where}}, for a role that may update (the schema offers it only then). */
    private Write.OnConflict onConflict(TableModel table, Object argument) {
        if (argument == null || values.isNull(argument)) {
            return null;
        }
        UpdatePermission permission = access.update(table).orElseThrow(() -> new PlanException(
                "field 'on_conflict' not found in type: '" + table.typeName() + "'", "$"));
        Map<String, Object> conflict = values.object(argument);
        String constraint = values.enumName(conflict.get("constraint"));
        if (!access.writes(table).orElseThrow().uniqueKeys().containsKey(constraint)) {
            throw new PlanException("unexpected value '" + constraint + "' for enum: '" + table.typeName() + "_constraint'", "$.on_conflict.constraint");
        }
        Map<String, ColumnModel> updatable = byName(access.updateColumns(table));
        List<Write.Assignment> updates = new ArrayList<>();
        Object columns = conflict.get("update_columns");
        for (Object item : columns == null || values.isNull(columns) ? List.of() : values.list(columns)) {
            ColumnModel column = column(updatable, values.enumName(item), table.typeName() + "_update_column");
            updates.add(new Write.Assignment(column, Write.Operation.EXCLUDED, null));
        }
        if (!updates.isEmpty()) {
            presets(table, permission.set()).forEach((column, value) -> updates.add(new Write.Assignment(column, Write.Operation.SET, value)));
        }
        BoolExp where = BoolExp.and(filters.where(table, conflict.get("where")), permissions.of(table, permission.filter()));
        return new Write.OnConflict(constraint, updates, where, permissions.of(table, permission.check()));
    }

    /** An update of {@code table} with the operators {@code arguments} gives ({@code _set}, {@code _inc}, …). */
    private Write.Update update(TableModel table, java.util.function.Function<String, Object> arguments, BoolExp where, String fieldName) {
        UpdatePermission permission = access.update(table).orElseThrow();
        Map<String, ColumnModel> allowed = byName(access.updateColumns(table));
        List<Write.Assignment> assignments = new ArrayList<>();
        for (Write.Operation operation : Write.Operation.values()) {
            if (operation != Write.Operation.EXCLUDED) {
                assign(table, allowed, arguments.apply(operation.argument()), operation, assignments);
            }
        }
        if (assignments.isEmpty()) {
            throw new PlanException("at least any one of _set, _inc, _append, _prepend, _delete_key, _delete_elem, _delete_at_path is expected",
                    "$.selectionSet." + fieldName);
        }
        presets(table, permission.set()).forEach((column, value) -> assignments.add(new Write.Assignment(column, Write.Operation.SET, value)));
        return new Write.Update(table, BoolExp.and(where, permissions.of(table, permission.filter())), assignments,
                permissions.of(table, permission.check()));
    }

    private void assign(TableModel table, Map<String, ColumnModel> allowed, Object argument, Write.Operation operation,
                        List<Write.Assignment> out) {
        if (argument == null || values.isNull(argument)) {
            return;
        }
        String type = operation.inputType(table.typeName());
        for (Map.Entry<String, Object> entry : values.object(argument).entrySet()) {
            ColumnModel column = column(allowed, entry.getKey(), type);
            if (out.stream().anyMatch(assignment -> assignment.column().equals(column))) {
                throw new PlanException("column found in multiple operators; \"" + column.graphqlName() + "\"", "$");
            }
            boolean columnValue = operation == Write.Operation.SET || operation == Write.Operation.APPEND || operation == Write.Operation.PREPEND;
            out.add(new Write.Assignment(column, operation, columnValue ? value(column, entry.getValue()) : values.leaf(entry.getValue())));
        }
    }

    private Write.Delete delete(TableModel table, BoolExp where) {
        return new Write.Delete(table, BoolExp.and(where, permissions.of(table, access.delete(table).orElseThrow().filter())));
    }

    /**
     * A value of {@code column}: a json or jsonb literal is one value, whatever it holds (a list is
     * a JSON array, not a list of parameters); a variable stays a reference.
     */
    private PlanValue value(ColumnModel column, Object value) {
        if (column.kind().json() && !column.array() && !(value instanceof graphql.language.VariableReference)) {
            return new PlanValue.Literal(values.plain(values.resolve(value)));
        }
        return values.leaf(value);
    }

    /** The row of the primary key {@code keys} gives (by GraphQL name). */
    private BoolExp byPk(TableModel table, Map<String, Object> keys) {
        List<BoolExp> terms = new ArrayList<>();
        for (String pk : table.primaryKey()) {
            ColumnModel column = table.column(pk).orElseThrow();
            terms.add(new BoolExp.Compare(column, ComparisonOperator.EQ, values.leaf(keys.get(column.graphqlName()))));
        }
        return new BoolExp.And(terms);
    }

    /** A permission's {@code set}: column → literal, or the session variable a string like {@code x-joinery-user-id} names. */
    private Map<ColumnModel, PlanValue> presets(TableModel table, Map<String, JsonNode> set) {
        Map<ColumnModel, PlanValue> presets = new LinkedHashMap<>();
        set.forEach((name, value) -> table.column(name).ifPresent(column ->
                presets.put(column, values.leaf(JsonValues.toJava(value), true))));
        return presets;
    }

    // ---- answers

    private MutationOutput.Response response(TableModel table, List<Field> fields) {
        List<MutationOutput.Part> parts = new ArrayList<>();
        String type = table.typeName() + "_mutation_response";
        for (Map.Entry<String, List<Field>> entry : collector.subFields(fields, type).entrySet()) {
            String name = entry.getValue().getFirst().getName();
            parts.add(switch (name) {
                case "affected_rows" -> new MutationOutput.AffectedRows(entry.getKey());
                case "returning" -> new MutationOutput.Returning(entry.getKey(), readable(table), rows.fields(table, entry.getValue()));
                case "__typename" -> new MutationOutput.Typename(entry.getKey(), type);
                default -> throw new PlanException("field '" + name + "' not found in type: '" + type + "'", "$");
            });
        }
        return new MutationOutput.Response(parts);
    }

    private MutationOutput.Row row(TableModel table, List<Field> fields) {
        return new MutationOutput.Row(readable(table), rows.fields(table, fields));
    }

    /** The written rows the role may read: its select filter applies to what a mutation answers, as to a query. */
    private Select readable(TableModel table) {
        return new Select(table, permissions.of(table), List.of(), List.of(), null, null, null, permissions.redactions(table));
    }

    private static Map<String, ColumnModel> byName(List<ColumnModel> columns) {
        Map<String, ColumnModel> out = new LinkedHashMap<>();
        columns.forEach(column -> out.put(column.graphqlName(), column));
        return out;
    }

    private static ColumnModel column(Map<String, ColumnModel> allowed, String name, String type) {
        ColumnModel column = allowed.get(name);
        if (column == null) {
            throw new PlanException("field '" + name + "' not found in type: '" + type + "'", "$");
        }
        return column;
    }
}
