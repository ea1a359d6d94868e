package io.joinery.proxy.schema;

import graphql.Scalars;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeReference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A role's mutation root fields on tables and their types, with Hasura's names and shapes:
 * {@code insert_t(objects, on_conflict): t_mutation_response}, {@code insert_t_one(object, on_conflict): t},
 * {@code update_t(_inc, _set, where)} and for jsonb columns {@code _append}, {@code _prepend},
 * {@code _delete_key}, {@code _delete_elem}, {@code _delete_at_path}; {@code update_t_by_pk(…, pk_columns)},
 * {@code update_t_many(updates: [t_updates!]!): [t_mutation_response]}, {@code delete_t(where)}, {@code delete_t_by_pk(<pk>)}; {@code t_insert_input}, {@code t_on_conflict},
 * {@code t_constraint}, {@code t_update_column}, {@code t_set_input}, {@code t_inc_input},
 * {@code t_pk_columns_input}, {@code t_mutation_response}.
 *
 * <p>Note [Who may mutate]: a role gets a table's insert fields with an insert permission (not a
 * {@code backend_only} one), its update and delete fields with an update or delete permission and
 * a select permission (their {@code where} reads the rows), as in Hasura. {@code returning} and
 * the {@code _one}/{@code _by_pk} fields, which answer rows, need the select permission too;
 * {@code on_conflict} needs the update permission (an upsert updates). The input types hold only
 * the columns the permission allows, less its presets ({@code set}): a client cannot name a
 * preset column at all, so it cannot override one.
 */
final class MutationFields {

    private static final java.util.regex.Pattern GRAPHQL_NAME = java.util.regex.Pattern.compile("[_A-Za-z][_0-9A-Za-z]*");

    private final RoleAccess access;
    private final Map<String, GraphQLType> types;
    private final Function<ColumnModel, GraphQLInputType> columnInput;

    MutationFields(RoleAccess access, Map<String, GraphQLType> types, Function<ColumnModel, GraphQLInputType> columnInput) {
        this.access = access;
        this.types = types;
        this.columnInput = columnInput;
    }

    /** The mutation root fields of every table the role may change, in metadata order. */
    List<GraphQLFieldDefinition> fields() {
        List<GraphQLFieldDefinition> fields = new ArrayList<>();
        for (TableModel table : access.model().allTables()) {
            access.writes(table).ifPresent(writes -> fields.addAll(fields(table, writes)));
        }
        return fields;
    }

    private List<GraphQLFieldDefinition> fields(TableModel table, TableWrites writes) {
        List<GraphQLFieldDefinition> fields = new ArrayList<>();
        String name = table.typeName();
        boolean rows = access.visible(table);
        boolean byPk = rows && !table.primaryKey().isEmpty() && access.columns(table).stream().map(ColumnModel::column).toList()
                .containsAll(table.primaryKey());
        if (access.insert(table).isPresent()) {
            defineInsert(table, writes);
            response(table);
            List<GraphQLArgument> conflict = upserts(table, writes)
                    ? List.of(argument("on_conflict", "upsert condition", ref(name + "_on_conflict"))) : List.of();
            fields.add(field(writes.insert(), table.descriptions().rootField("insert", "insert data into the table: \"" + table.name() + "\""), ref(name + "_mutation_response"),
                    concat(List.of(argument("objects", "the rows to be inserted", nonNullList(ref(name + "_insert_input")))), conflict)));
            if (rows) {
                fields.add(field(writes.insertOne(), table.descriptions().rootField("insert_one", "insert a single row into the table: \"" + table.name() + "\""), ref(name),
                        concat(List.of(argument("object", "the row to be inserted", GraphQLNonNull.nonNull(ref(name + "_insert_input")))), conflict)));
            }
        }
        if (access.update(table).isPresent()) {
            response(table);
            List<GraphQLArgument> changes = defineUpdate(table);
            fields.add(field(writes.update(), table.descriptions().rootField("update", "update data of the table: \"" + table.name() + "\""), ref(name + "_mutation_response"),
                    concat(changes, List.of(argument("where", "filter the rows which have to be updated", GraphQLNonNull.nonNull(ref(name + "_bool_exp")))))));
            if (byPk) {
                definePkColumns(table);
                fields.add(field(writes.updateByPk(), table.descriptions().rootField("update_by_pk", "update single row of the table: \"" + table.name() + "\""), ref(name),
                        concat(changes, List.of(argument("pk_columns", null, GraphQLNonNull.nonNull(ref(name + "_pk_columns_input")))))));
            }
            GraphQLInputObjectType.Builder updates = GraphQLInputObjectType.newInputObject().name(name + "_updates");
            changes.forEach(change -> updates.field(inputField(change.getName(), change.getType())));
            types.put(name + "_updates", updates.field(inputField("where", GraphQLNonNull.nonNull(ref(name + "_bool_exp")))).build());
            fields.add(field(writes.updateMany(), table.descriptions().rootField("update_many", "update multiples rows of table: \"" + table.name() + "\""),
                    GraphQLList.list(ref(name + "_mutation_response")),
                    List.of(argument("updates", "updates to execute, in order", nonNullList(ref(name + "_updates"))))));
        }
        if (access.delete(table).isPresent()) {
            response(table);
            fields.add(field(writes.delete(), table.descriptions().rootField("delete", "delete data from the table: \"" + table.name() + "\""), ref(name + "_mutation_response"),
                    List.of(argument("where", "filter the rows which have to be deleted", GraphQLNonNull.nonNull(ref(name + "_bool_exp"))))));
            if (byPk) {
                List<GraphQLArgument> keys = new ArrayList<>();
                for (String pk : table.primaryKey()) {
                    ColumnModel column = table.column(pk).orElseThrow();
                    keys.add(argument(column.graphqlName(), null, GraphQLNonNull.nonNull(columnInput.apply(column))));
                }
                fields.add(field(writes.deleteByPk(), table.descriptions().rootField("delete_by_pk", "delete single row from the table: \"" + table.name() + "\""), ref(name), keys));
            }
        }
        return fields;
    }

    /** {@code t_insert_input}, and {@code t_on_conflict}, {@code t_constraint}, {@code t_update_column} for a role that may upsert. */
    private void defineInsert(TableModel table, TableWrites writes) {
        String name = table.typeName();
        GraphQLInputObjectType.Builder input = GraphQLInputObjectType.newInputObject().name(name + "_insert_input")
                .description("input type for inserting data into table \"" + table.name() + "\"");
        access.insertColumns(table).forEach(column -> input.field(inputField(column.graphqlName(), columnInput.apply(column))));
        for (RelationshipModel relationship : access.insertRelationships(table)) {
            input.field(inputField(relationship.name(), ref(relationshipInput(relationship))));
        }
        types.put(name + "_insert_input", input.build());
        if (!upserts(table, writes)) {
            return;
        }
        GraphQLEnumType.Builder constraint = GraphQLEnumType.newEnum().name(name + "_constraint")
                .description("unique or primary key constraints on table \"" + table.name() + "\"");
        writes.uniqueKeys().forEach((key, columns) -> {
            if (GRAPHQL_NAME.matcher(key).matches()) {
                constraint.value(key, key, "unique or primary key constraint on columns " + String.join(", ",
                        columns.stream().map(c -> "\"" + c + "\"").toList()));
            }
        });
        types.put(name + "_constraint", constraint.build());
        updateColumnEnum(table);
        types.put(name + "_on_conflict", GraphQLInputObjectType.newInputObject().name(name + "_on_conflict")
                .description("on_conflict condition type for table \"" + table.name() + "\"")
                .field(inputField("constraint", GraphQLNonNull.nonNull(ref(name + "_constraint"))))
                .field(GraphQLInputObjectField.newInputObjectField().name("update_columns")
                        .type(nonNullList(ref(name + "_update_column"))).defaultValueProgrammatic(List.of()).build())
                .field(inputField("where", ref(name + "_bool_exp")))
                .build());
    }

    /**
     * {@code target_obj_rel_insert_input {data, on_conflict}} or {@code target_arr_rel_insert_input}
     * (its {@code data} a list), as Hasura names them; {@code on_conflict} where the role may upsert the target.
     */
    private String relationshipInput(RelationshipModel relationship) {
        TableModel target = access.model().table(relationship.target());
        String targetName = target.typeName();
        String type = targetName + (relationship.array() ? "_arr_rel_insert_input" : "_obj_rel_insert_input");
        if (types.containsKey(type)) {
            return type;
        }
        GraphQLInputType data = relationship.array() ? nonNullList(ref(targetName + "_insert_input"))
                : GraphQLNonNull.nonNull(ref(targetName + "_insert_input"));
        GraphQLInputObjectType.Builder input = GraphQLInputObjectType.newInputObject().name(type)
                .description("input type for inserting " + (relationship.array() ? "array" : "object") + " relation for remote table \""
                        + target.name() + "\"")
                .field(inputField("data", data));
        TableWrites writes = access.writes(target).orElseThrow();
        if (upserts(target, writes)) {
            input.field(inputField("on_conflict", ref(targetName + "_on_conflict")));
        }
        types.put(type, input.build());
        return type;
    }

    /** Whether the role may upsert: it may update, and the table has a constraint an enum value can name. */
    private boolean upserts(TableModel table, TableWrites writes) {
        return access.update(table).isPresent() && writes.uniqueKeys().keySet().stream().anyMatch(key -> GRAPHQL_NAME.matcher(key).matches());
    }

    /** {@code _inc} and {@code _set}, and their types {@code t_inc_input} (numeric columns) and {@code t_set_input}. */
    private List<GraphQLArgument> defineUpdate(TableModel table) {
        String name = table.typeName();
        List<ColumnModel> columns = access.updateColumns(table);
        List<GraphQLArgument> arguments = new ArrayList<>();
        List<ColumnModel> numeric = columns.stream().filter(c -> c.kind().numeric() && !c.array()).toList();
        if (!numeric.isEmpty()) {
            GraphQLInputObjectType.Builder inc = GraphQLInputObjectType.newInputObject().name(name + "_inc_input")
                    .description("input type for incrementing numeric columns in table \"" + table.name() + "\"");
            numeric.forEach(column -> inc.field(inputField(column.graphqlName(), columnInput.apply(column))));
            types.put(name + "_inc_input", inc.build());
            arguments.add(argument("_inc", "increments the numeric columns with given value of the filtered values", ref(name + "_inc_input")));
        }
        if (!columns.isEmpty()) {
            GraphQLInputObjectType.Builder set = GraphQLInputObjectType.newInputObject().name(name + "_set_input")
                    .description("input type for updating data in table \"" + table.name() + "\"");
            columns.forEach(column -> set.field(inputField(column.graphqlName(), columnInput.apply(column))));
            types.put(name + "_set_input", set.build());
            arguments.add(argument("_set", "sets the columns of the filtered rows to the given values", ref(name + "_set_input")));
        }
        List<ColumnModel> jsonb = columns.stream().filter(c -> c.kind() == ScalarKind.JSONB && !c.array()).toList();
        if (!jsonb.isEmpty()) {
            arguments.add(jsonbOperator(table, jsonb, "_append", "append existing jsonb value of filtered columns with new jsonb value", null));
            arguments.add(jsonbOperator(table, jsonb, "_prepend", "prepend existing jsonb value of filtered columns with new jsonb value", null));
            arguments.add(jsonbOperator(table, jsonb, "_delete_key",
                    "delete key/value pair or string element. key/value pairs are matched based on their key value", Scalars.GraphQLString));
            arguments.add(jsonbOperator(table, jsonb, "_delete_elem",
                    "delete the array element with specified index (negative integers count from the end). throws an error if top level container is not an array",
                    Scalars.GraphQLInt));
            arguments.add(jsonbOperator(table, jsonb, "_delete_at_path",
                    "delete the field or element with specified path (for JSON arrays, negative integers count from the end)",
                    GraphQLList.list(GraphQLNonNull.nonNull(Scalars.GraphQLString))));
        }
        // Hasura lists them by name: _append, _delete_at_path, _delete_elem, _delete_key, _inc, _prepend, _set.
        arguments.sort(java.util.Comparator.comparing(GraphQLArgument::getName));
        return arguments;
    }

    /**
     * One of an update's jsonb operators and its input type {@code t<operator>_input}: one field per jsonb
     * column, of the column's type ({@code value} null) or of {@code value} (a key, an index, a path).
     */
    private GraphQLArgument jsonbOperator(TableModel table, List<ColumnModel> columns, String operator, String description,
                                          GraphQLInputType value) {
        String type = table.typeName() + operator + "_input";
        GraphQLInputObjectType.Builder input = GraphQLInputObjectType.newInputObject().name(type).description(description);
        columns.forEach(column -> input.field(inputField(column.graphqlName(), value == null ? columnInput.apply(column) : value)));
        types.put(type, input.build());
        return argument(operator, description, ref(type));
    }

    /** {@code t_update_column}: the columns an upsert may update; {@code _PLACEHOLDER} when none, as Hasura. */
    private void updateColumnEnum(TableModel table) {
        String name = table.typeName();
        GraphQLEnumType.Builder columns = GraphQLEnumType.newEnum().name(name + "_update_column")
                .description("update columns of table \"" + table.name() + "\"");
        List<ColumnModel> updatable = access.updateColumns(table);
        updatable.forEach(column -> columns.value(column.graphqlName(), column.graphqlName(), "column name"));
        if (updatable.isEmpty()) {
            columns.value("_PLACEHOLDER", "_PLACEHOLDER", "placeholder (do not use)");
        }
        types.put(name + "_update_column", columns.build());
    }

    private void definePkColumns(TableModel table) {
        String name = table.typeName();
        GraphQLInputObjectType.Builder keys = GraphQLInputObjectType.newInputObject().name(name + "_pk_columns_input")
                .description("primary key columns input for table: " + table.name().name());
        for (String pk : table.primaryKey()) {
            ColumnModel column = table.column(pk).orElseThrow();
            keys.field(inputField(column.graphqlName(), GraphQLNonNull.nonNull(columnInput.apply(column))));
        }
        types.put(name + "_pk_columns_input", keys.build());
    }

    /** {@code t_mutation_response}: {@code affected_rows}, and {@code returning} for a role that may select the rows. */
    private void response(TableModel table) {
        String name = table.typeName();
        GraphQLObjectType.Builder response = GraphQLObjectType.newObject().name(name + "_mutation_response")
                .description("response of any mutation on the table \"" + table.name() + "\"")
                .field(GraphQLFieldDefinition.newFieldDefinition().name("affected_rows")
                        .description("number of rows affected by the mutation").type(GraphQLNonNull.nonNull(Scalars.GraphQLInt)));
        if (access.visible(table)) {
            response.field(GraphQLFieldDefinition.newFieldDefinition().name("returning")
                    .description("data from the rows affected by the mutation").type(nonNullList(ref(name))));
        }
        types.put(name + "_mutation_response", response.build());
    }

    private static GraphQLFieldDefinition field(String name, String description, graphql.schema.GraphQLOutputType type,
                                                List<GraphQLArgument> arguments) {
        return GraphQLFieldDefinition.newFieldDefinition().name(name).description(description).arguments(arguments).type(type).build();
    }

    private static GraphQLArgument argument(String name, String description, GraphQLInputType type) {
        return GraphQLArgument.newArgument().name(name).description(description).type(type).build();
    }

    private static GraphQLInputObjectField inputField(String name, GraphQLInputType type) {
        return GraphQLInputObjectField.newInputObjectField().name(name).type(type).build();
    }

    private static GraphQLTypeReference ref(String name) {
        return GraphQLTypeReference.typeRef(name);
    }

    private static <T extends GraphQLType> GraphQLNonNull nonNullList(T item) {
        return GraphQLNonNull.nonNull(GraphQLList.list(GraphQLNonNull.nonNull(item)));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
