package io.joinery.policies.boolexp;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.policies.Session;
import io.joinery.policies.boolexp.BoolExpression.And;
import io.joinery.policies.boolexp.BoolExpression.ColumnReference;
import io.joinery.policies.boolexp.BoolExpression.ColumnTerm;
import io.joinery.policies.boolexp.BoolExpression.Comparison;
import io.joinery.policies.boolexp.BoolExpression.ComputedRowsTerm;
import io.joinery.policies.boolexp.BoolExpression.ComputedTerm;
import io.joinery.policies.boolexp.BoolExpression.Condition;
import io.joinery.policies.boolexp.BoolExpression.Exists;
import io.joinery.policies.boolexp.BoolExpression.InvalidOperand;
import io.joinery.policies.boolexp.BoolExpression.Malformed;
import io.joinery.policies.boolexp.BoolExpression.Not;
import io.joinery.policies.boolexp.BoolExpression.Operand;
import io.joinery.policies.boolexp.BoolExpression.Or;
import io.joinery.policies.boolexp.BoolExpression.RelatedTerm;
import io.joinery.policies.boolexp.BoolExpression.Subject;
import io.joinery.policies.boolexp.BoolExpression.UnknownField;
import io.joinery.policies.boolexp.BoolExpression.UnknownTable;
import io.joinery.policies.boolexp.BoolExpression.Unresolved;
import io.joinery.policies.boolexp.BoolExpression.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one reader of Hasura's {@code bool_exp} JSON: {@code {column: {_op: value}}}, {@code _and}/{@code _or}
 * lists, {@code _not}, {@code _exists: {_table, _where}}, relationship names whose value is an expression
 * over the target table, and computed fields without arguments (Note [Computed fields in where and
 * order_by] in the proxy's {@code ComputedFieldModel}). A name is looked up in the table's
 * {@link BoolExpFields} before its value is read, since a name alone decides what its value is.
 *
 * <p>Note [Bare values are _eq]: Hasura reads a value that is not an object, given to a column or a scalar
 * computed field, as {@code _eq}: {@code {id: "X-Hasura-User-Id"}} is {@code {id: {_eq: "X-Hasura-User-Id"}}},
 * wherever an expression is (a permission's filter or check, {@code _exists._where}, through relationships,
 * imports). An object is always operators, also for a json or jsonb column (whose document is compared with
 * {@code {_eq: {...}}}), and a relationship's value is always an expression, so only a column's or computed
 * field's non-object value is the shorthand. (Hasura: {@code parseBoolExpOperations} in
 * {@code Backends/Postgres/DDL/BoolExp.hs}.)
 */
public final class BoolExpParser {

    private static final String NOT_AN_EXPRESSION = "a boolean expression is an object such as {column: {_eq: value}}";

    private BoolExpParser() {
    }

    /** {@code json}, an expression over the table of {@code fields}, at path {@code $}. */
    public static BoolExpression parse(JsonNode json, BoolExpFields fields) {
        return expression(json, fields, "$");
    }

    private static BoolExpression expression(JsonNode node, BoolExpFields fields, String path) {
        if (!node.isObject()) {
            return new Malformed(path, Subject.EXPRESSION, null, NOT_AN_EXPRESSION);
        }
        List<BoolExpression> terms = new ArrayList<>();
        node.properties().forEach(term -> terms.add(term(term.getKey(), term.getValue(), fields, path + "." + term.getKey())));
        return terms.size() == 1 ? terms.getFirst() : new And(path, terms);
    }

    /**
     * Hasura's older spelling of the boolean and comparison operators with a dollar ({@code $or},
     * {@code $eq}), which it still reads in metadata (its own test suite's permissions use them):
     * the same operator as the underscore form. A column's name cannot start with a dollar in a
     * GraphQL schema, so nothing else is read differently.
     */
    private static String operatorName(String key) {
        return key.startsWith("$") ? "_" + key.substring(1) : key;
    }

    private static BoolExpression term(String written, JsonNode value, BoolExpFields fields, String path) {
        String key = operatorName(written);
        return switch (key) {
            case "_and", "_or" -> junction(key, value, fields, path);
            case "_not" -> new Not(path, expression(value, fields, path));
            case "_exists" -> exists(value, fields, path);
            default -> field(written, value, fields, path);
        };
    }

    private static BoolExpression junction(String key, JsonNode value, BoolExpFields fields, String path) {
        if (!value.isArray()) {
            return new Malformed(path, Subject.EXPRESSION, null, key + " takes a list of boolean expressions");
        }
        List<BoolExpression> operands = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            operands.add(expression(value.get(i), fields, path + "[" + i + "]"));
        }
        return key.equals("_and") ? new And(path, operands) : new Or(path, operands);
    }

    private static BoolExpression field(String key, JsonNode value, BoolExpFields fields, String path) {
        if (key.startsWith("_")) {
            return new Malformed(path, Subject.OPERATOR, key, "unknown here: expected a column, a relationship, _and, _or, _not or _exists");
        }
        return switch (fields.kind(key)) {
            case COLUMN -> new ColumnTerm(path, key, conditions(value, path));
            case COMPUTED_SCALAR -> computedScalar(key, value, path);
            case RELATIONSHIP -> fields.target(key)
                    .<BoolExpression>map(target -> new RelatedTerm(path, key, expression(value, target, path)))
                    .orElseGet(() -> new Unresolved(path, key));
            case COMPUTED_ROWS -> fields.target(key)
                    .<BoolExpression>map(target -> new ComputedRowsTerm(path, key, expression(value, target, path)))
                    .orElseGet(() -> new Unresolved(path, key));
            case COMPUTED_WITH_ARGUMENTS -> new Malformed(path, Subject.FIELD, key,
                    "a computed field whose function takes arguments besides the row and the session cannot be in a filter");
            case UNRESOLVED -> new Unresolved(path, key);
            case UNKNOWN -> new UnknownField(path, key);
        };
    }

    /** A scalar computed field takes a column's operators, not the column comparisons. */
    private static BoolExpression computedScalar(String key, JsonNode value, String path) {
        List<Condition> conditions = conditions(value, path);
        List<BoolExpression> columnComparisons = conditions.stream()
                .filter(condition -> condition instanceof Comparison comparison && comparison.operator().comparesColumns())
                .map(condition -> (BoolExpression) new Malformed(condition.path(), Subject.FIELD, key,
                        ((Comparison) condition).operator() + " compares columns, not computed fields"))
                .toList();
        if (!columnComparisons.isEmpty()) {
            return columnComparisons.size() == 1 ? columnComparisons.getFirst() : new And(path, columnComparisons);
        }
        return new ComputedTerm(path, key, conditions);
    }

    /** The operators of a column or computed field; a value that is not an object is {@code _eq} (Note [Bare values are _eq]). */
    private static List<Condition> conditions(JsonNode value, String path) {
        if (!value.isObject()) {
            return List.of(new Comparison(path, ComparisonOperator.EQ, new Value(value)));
        }
        List<Condition> conditions = new ArrayList<>();
        value.properties().forEach(entry -> {
            String at = path + "." + entry.getKey();
            Optional<ComparisonOperator> operator = ComparisonOperator.byName(operatorName(entry.getKey()));
            conditions.add(operator.<Condition>map(op -> new Comparison(at, op, operand(op, entry.getValue())))
                    .orElseGet(() -> new Malformed(at, Subject.OPERATOR, entry.getKey(), "unknown operator")));
        });
        return conditions;
    }

    private static Operand operand(ComparisonOperator operator, JsonNode value) {
        return switch (operator.operand()) {
            case VALUE, JSON -> new Value(value);
            case LIST -> value.isArray() || value.isTextual() && isSessionVariable(value.textValue())
                    ? new Value(value)
                    : new InvalidOperand(Subject.EXPRESSION, "expected a list or a session variable");
            case BOOLEAN -> value.isBoolean() ? new Value(value) : new InvalidOperand(Subject.FIELD, operator + " takes true or false");
            case COLUMN -> columnReference(value);
            case FIELDS -> value.isObject() ? new Value(value) : new InvalidOperand(Subject.EXPRESSION, operator + " takes an object");
        };
    }

    /** {@code "b"} or {@code ["b"]}: column {@code b} of the same row; {@code ["$", "b"]}: of the row the permission is for. */
    private static Operand columnReference(JsonNode value) {
        if (value.isTextual()) {
            return new ColumnReference(value.textValue(), false);
        }
        if (value.isArray() && value.size() == 2 && "$".equals(value.get(0).textValue()) && value.get(1).isTextual()) {
            return new ColumnReference(value.get(1).textValue(), true);
        }
        if (value.isArray() && value.size() == 1 && value.get(0).isTextual()) {
            return new ColumnReference(value.get(0).textValue(), false);
        }
        return new InvalidOperand(Subject.EXPRESSION, "expected a column name, or [\"$\", column] for the root table");
    }

    private static BoolExpression exists(JsonNode value, BoolExpFields fields, String path) {
        if (!value.isObject() || !value.has("_table")) {
            return new Malformed(path, Subject.EXPRESSION, null, "_exists takes {_table: table, _where: expression}");
        }
        List<BoolExpression> terms = new ArrayList<>();
        value.fieldNames().forEachRemaining(name -> {
            if (!name.equals("_table") && !name.equals("_where")) {
                terms.add(new Malformed(path + "." + name, Subject.EXPRESSION, null, "_exists takes only _table and _where"));
            }
        });
        terms.add(existsOf(value, fields, path));
        return terms.size() == 1 ? terms.getFirst() : new And(path, terms);
    }

    private static BoolExpression existsOf(JsonNode value, BoolExpFields fields, String path) {
        Optional<TableName> name = TableName.of(value.get("_table"));
        if (name.isEmpty()) {
            return new Malformed(path + "._table", Subject.EXPRESSION, null, "a table is written name, schema.name or {schema, name}");
        }
        Optional<? extends BoolExpFields> table = fields.table(name.get());
        if (table.isEmpty()) {
            return new UnknownTable(path + "._table", name.get());
        }
        JsonNode where = value.path("_where");
        return new Exists(path, name.get(), where.isMissingNode()
                ? new And(path + "._where", List.of())
                : expression(where, table.get(), path + "._where"));
    }

    /** Whether {@code text} is meant as a session variable: Joinery's {@code x-joinery-*}, or Hasura's {@code x-hasura-*} (which the checks refuse). */
    public static boolean isSessionVariable(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.startsWith(Session.PREFIX) || lower.startsWith("x-hasura-");
    }
}
