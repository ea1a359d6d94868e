package io.joinery.admin.check;

import io.joinery.policies.Session;
import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.admin.catalog.ColumnInfo;
import io.joinery.admin.catalog.FunctionInfo;
import io.joinery.admin.catalog.TableInfo;
import io.joinery.admin.metadata.ComputedField;
import io.joinery.admin.metadata.MetadataException;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.TableConfig;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static io.joinery.admin.check.SourceScope.columnName;
import static io.joinery.admin.check.SourceScope.tableName;

/**
 * Checks one boolean expression of a permission (a {@code filter}, or the {@code check} of an insert
 * or update), written as Hasura's {@code bool_exp}: {@code {column: {_op: value}}},
 * {@code _and}/{@code _or} lists, {@code _not}, {@code _exists: {_table, _where}}, relationship
 * names whose value is an expression over the target table, and computed fields without arguments
 * (Note [Computed fields in where and order_by] in the proxy's {@code ComputedFieldModel}). Values may be session variables
 * ({@code x-joinery-user-id}); those must be well formed. Problems carry the name of the expression
 * and the JSON path of the term: {@code (check at $.author_id._eq)}.
 */
final class FilterCheck {

    private static final Set<String> COLUMN_COMPARISONS = Set.of("_ceq", "_cne", "_cneq", "_cgt", "_clt", "_cgte", "_clte");
    private static final Pattern SESSION_VARIABLE = Pattern.compile("x-joinery-[a-z0-9][a-z0-9_-]*", Pattern.CASE_INSENSITIVE);

    private final SourceScope scope;
    private final MetadataObject owner;
    private final List<Problem> problems;
    private final String label;
    private TableInfo root;

    FilterCheck(SourceScope scope, MetadataObject owner, List<Problem> problems) {
        this(scope, owner, problems, "filter");
    }

    /** {@code label} names the expression in problems: {@code filter} or {@code check}. */
    FilterCheck(SourceScope scope, MetadataObject owner, List<Problem> problems, String label) {
        this.scope = scope;
        this.owner = owner;
        this.problems = problems;
        this.label = label;
    }

    void check(JsonNode filter, TableInfo table, Optional<TableConfig> config) {
        if (filter == null || filter.isNull() || filter.isMissingNode()) {
            return;
        }
        root = table;
        expression(filter, table, config, "$");
    }

    private void expression(JsonNode node, TableInfo table, Optional<TableConfig> config, String path) {
        if (!node.isObject()) {
            problem(label, path, "a boolean expression is an object such as {column: {_eq: value}}");
            return;
        }
        node.properties().forEach(term -> term(term.getKey(), term.getValue(), table, config, path + "." + term.getKey()));
    }

    private void term(String key, JsonNode value, TableInfo table, Optional<TableConfig> config, String path) {
        switch (key) {
            case "_and", "_or" -> {
                if (!value.isArray()) {
                    problem(label, path, key + " takes a list of boolean expressions");
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    expression(value.get(i), table, config, path + "[" + i + "]");
                }
            }
            case "_not" -> expression(value, table, config, path);
            case "_exists" -> exists(value, path);
            default -> field(key, value, table, config, path);
        }
    }

    private void field(String key, JsonNode value, TableInfo table, Optional<TableConfig> config, String path) {
        if (key.startsWith("_")) {
            problem("operator " + key, path, "unknown here: expected a column, a relationship, _and, _or, _not or _exists");
            return;
        }
        Optional<ColumnInfo> column = table.column(key);
        if (column.isPresent()) {
            comparisons(table, column.get(), value, path);
            return;
        }
        ComputedField computed = config.map(c -> c.computedFields().get(key)).orElse(null);
        if (computed != null) {
            computedField(key, computed, value, table, path);
            return;
        }
        Relationship relationship = config.map(c -> c.relationships().get(key)).orElse(null);
        if (relationship != null) {
            Optional<TableInfo> target = scope.table(relationship.target());
            // a broken relationship is reported on its own
            target.ifPresent(t -> expression(value, t, scope.tracked(relationship.target()), path));
            return;
        }
        if (config.isPresent() && scope.mayInferRelationships(table.name())) {
            return; // possibly an inferred relationship, whose name the engine derives
        }
        problem(columnName(table.name(), key), path, "no column or relationship of this name");
    }

    /**
     * A computed field in a filter, as Hasura allows it: only one without arguments besides the row and the
     * session; a scalar one takes a column's operators (not the column comparisons), one returning
     * {@code SETOF} a table an expression over that table. A function that does not resolve is reported by
     * {@link ComputedFieldCheck}.
     */
    private void computedField(String key, ComputedField definition, JsonNode value, TableInfo table, String path) {
        List<FunctionInfo> found = scope.catalog().functions(definition.functionName());
        if (found.size() != 1) {
            return;
        }
        FunctionInfo function = found.getFirst();
        Optional<FunctionInfo.Argument> row = ComputedFieldCheck.rowArgument(function, definition);
        boolean inputs = function.arguments().stream().anyMatch(argument -> !row.equals(Optional.of(argument))
                && (argument.name() == null || !argument.name().equals(definition.sessionArgument())));
        String dependency = columnName(table.name(), key);
        if (inputs) {
            problem(dependency, path, "a computed field whose function takes arguments besides the row and the session cannot be in a filter");
            return;
        }
        if (function.returnsSet() && function.returnsRow()) {
            scope.table(function.returnType()).ifPresent(target ->
                    expression(value, target, scope.tracked(function.returnType()), path));
            return;
        }
        List<String> columnComparisons = value.isObject() ? value.properties().stream().map(Map.Entry::getKey)
                .filter(COLUMN_COMPARISONS::contains).toList() : List.of();
        if (!columnComparisons.isEmpty()) {
            columnComparisons.forEach(operator -> problem(dependency, path + "." + operator, operator + " compares columns, not computed fields"));
            return;
        }
        comparisons(table, new ColumnInfo(key, function.returnType().name(), false, true, List.of(), null), value, path);
    }

    private void exists(JsonNode value, String path) {
        if (!value.isObject() || !value.has("_table")) {
            problem(label, path, "_exists takes {_table: table, _where: expression}");
            return;
        }
        value.fieldNames().forEachRemaining(name -> {
            if (!name.equals("_table") && !name.equals("_where")) {
                problem(label, path + "." + name, "_exists takes only _table and _where");
            }
        });
        QualifiedName name;
        try {
            name = tableOf(value.get("_table"));
        } catch (MetadataException e) {
            problem(label, path + "._table", "a table is written name, schema.name or {schema, name}");
            return;
        }
        Optional<TableInfo> table = scope.table(name);
        if (table.isEmpty()) {
            problem(tableName(name), path + "._table", "the table does not exist in the database");
            return;
        }
        JsonNode where = value.path("_where");
        if (!where.isMissingNode()) {
            expression(where, table.get(), scope.tracked(name), path + "._where");
        }
    }

    private void comparisons(TableInfo table, ColumnInfo column, JsonNode operators, String path) {
        String dependency = columnName(table.name(), column.name());
        if (!operators.isObject()) {
            problem(dependency, path, "a column condition is an object of operators such as {_eq: value}");
            return;
        }
        operators.properties().forEach(entry -> {
            String operator = entry.getKey();
            JsonNode value = entry.getValue();
            String at = path + "." + operator;
            switch (operator) {
                case "_eq", "_neq", "_gt", "_lt", "_gte", "_lte", "_contains", "_contained_in" -> {
                    if (operator.startsWith("_contain") && !ColumnTypes.isJsonb(column)) {
                        problem(dependency, at, operator + " applies to jsonb columns, not " + column.sqlType());
                    }
                    value(value, at);
                }
                case "_in", "_nin", "_has_keys_any", "_has_keys_all" -> {
                    if (operator.startsWith("_has") && !ColumnTypes.isJsonb(column)) {
                        problem(dependency, at, operator + " applies to jsonb columns, not " + column.sqlType());
                    }
                    list(value, at);
                }
                case "_is_null" -> {
                    if (!value.isBoolean()) {
                        problem(dependency, at, "_is_null takes true or false");
                    }
                }
                case "_has_key" -> {
                    if (!ColumnTypes.isJsonb(column)) {
                        problem(dependency, at, "_has_key applies to jsonb columns, not " + column.sqlType());
                    }
                    value(value, at);
                }
                case "_like", "_nlike", "_ilike", "_nilike", "_similar", "_nsimilar",
                     "_regex", "_iregex", "_nregex", "_niregex" -> {
                    if (!ColumnTypes.isText(column)) {
                        problem(dependency, at, operator + " applies to text columns, not " + column.sqlType());
                    }
                    value(value, at);
                }
                case "_ceq", "_cne", "_cneq", "_cgt", "_clt", "_cgte", "_clte" -> columnReference(value, table, at);
                default -> problem("operator " + operator, at, "unknown operator");
            }
        });
    }

    private void value(JsonNode value, String path) {
        if (value.isTextual()) {
            sessionVariable(value.textValue(), path);
        }
    }

    private void list(JsonNode value, String path) {
        if (value.isArray()) {
            value.forEach(element -> value(element, path));
        } else if (value.isTextual() && isSessionVariable(value.textValue())) {
            sessionVariable(value.textValue(), path);
        } else {
            problem(label, path, "expected a list or a session variable");
        }
    }

    private void columnReference(JsonNode value, TableInfo table, String path) {
        TableInfo in = table;
        String column = value.textValue();
        if (value.isArray() && value.size() == 2 && "$".equals(value.get(0).textValue()) && value.get(1).isTextual()) {
            in = root;
            column = value.get(1).textValue();
        } else if (value.isArray() && value.size() == 1 && value.get(0).isTextual()) {
            column = value.get(0).textValue();
        }
        if (column == null) {
            problem(label, path, "expected a column name, or [\"$\", column] for the root table");
        } else if (in.column(column).isEmpty()) {
            problem(columnName(in.name(), column), path, "the compared column does not exist");
        }
    }

    private void sessionVariable(String text, String path) {
        sessionVariableProblem(text).ifPresent(reason -> problem("session variable " + text, path, reason));
    }

    /**
     * What is wrong with {@code text} as a session variable: a Hasura name, or a malformed
     * {@code x-joinery-*} name. Empty for a well-formed one and for any text that is not one.
     */
    static Optional<String> sessionVariableProblem(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("x-hasura-")) {
            return Optional.of("Joinery's session variables are named x-joinery-*, not x-hasura-*");
        }
        if (lower.startsWith(Session.PREFIX) && !SESSION_VARIABLE.matcher(text).matches()) {
            return Optional.of("malformed: x-joinery- then letters, digits, '-' or '_'");
        }
        return Optional.empty();
    }

    private static boolean isSessionVariable(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.startsWith(Session.PREFIX) || lower.startsWith("x-hasura-");
    }

    /** Hasura writes {@code _table} as a name or as {@code {schema, name}}. */
    static QualifiedName tableOf(JsonNode node) {
        if (node != null && node.isTextual()) {
            return QualifiedName.parse(node.textValue());
        }
        if (node != null && node.isObject() && node.path("name").isTextual()) {
            return new QualifiedName(node.path("schema").asText("public"), node.path("name").textValue());
        }
        throw new MetadataException("not a table name: " + node);
    }

    private void problem(String dependency, String path, String reason) {
        problems.add(Problem.of(owner, dependency, reason + " (" + label + " at " + path + ")"));
    }
}
