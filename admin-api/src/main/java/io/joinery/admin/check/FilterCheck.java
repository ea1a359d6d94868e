package io.joinery.admin.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.admin.catalog.ColumnInfo;
import io.joinery.admin.catalog.TableInfo;
import io.joinery.admin.metadata.MetadataException;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.policies.Session;
import io.joinery.policies.boolexp.BoolExpParser;
import io.joinery.policies.boolexp.BoolExpression;
import io.joinery.policies.boolexp.BoolExpression.ColumnReference;
import io.joinery.policies.boolexp.BoolExpression.Comparison;
import io.joinery.policies.boolexp.BoolExpression.Condition;
import io.joinery.policies.boolexp.BoolExpression.InvalidOperand;
import io.joinery.policies.boolexp.BoolExpression.Malformed;
import io.joinery.policies.boolexp.BoolExpression.Subject;
import io.joinery.policies.boolexp.BoolExpression.Value;
import io.joinery.policies.boolexp.ComparisonOperator;
import io.joinery.policies.boolexp.TableName;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import static io.joinery.admin.check.SourceScope.columnName;
import static io.joinery.admin.check.SourceScope.tableName;

/**
 * Checks one boolean expression of a permission (a {@code filter}, or the {@code check} of an insert
 * or update), as {@link BoolExpParser} reads it (Note [Bare values are _eq] there): its malformed terms,
 * names that are no column or relationship, operators on columns they do not apply to, compared columns
 * that do not exist, and session variables ({@code x-joinery-user-id}), which must be well formed.
 * Problems carry the name of the expression and the JSON path of the term: {@code (check at $.author_id._eq)}.
 */
final class FilterCheck {

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
        FilterFields fields = new FilterFields(scope, table, config);
        expression(BoolExpParser.parse(filter, fields), fields);
    }

    private void expression(BoolExpression expression, FilterFields fields) {
        TableInfo table = fields.table();
        switch (expression) {
            case BoolExpression.And and -> and.operands().forEach(operand -> expression(operand, fields));
            case BoolExpression.Or or -> or.operands().forEach(operand -> expression(operand, fields));
            case BoolExpression.Not not -> expression(not.operand(), fields);
            case BoolExpression.Exists exists -> fields.table(exists.table()).ifPresent(target -> expression(exists.where(), target));
            case BoolExpression.ColumnTerm term -> conditions(table, table.column(term.column()).orElseThrow(), term.conditions());
            case BoolExpression.ComputedTerm term -> fields.function(term.field()).ifPresent(function -> conditions(table,
                    new ColumnInfo(term.field(), function.returnType().name(), false, true, List.of(), null), term.conditions()));
            case BoolExpression.RelatedTerm term -> fields.target(term.relationship()).ifPresent(target -> expression(term.where(), target));
            case BoolExpression.ComputedRowsTerm term -> fields.target(term.field()).ifPresent(target -> expression(term.where(), target));
            case BoolExpression.UnknownField unknown -> {
                if (fields.config().isEmpty() || !scope.mayInferRelationships(table.name())) {
                    problem(columnName(table.name(), unknown.name()), unknown.path(), "no column or relationship of this name");
                } // else possibly an inferred relationship, whose name the engine derives
            }
            case BoolExpression.Unresolved unresolved -> {
                // a broken relationship or computed field is reported on its own
            }
            case BoolExpression.UnknownTable unknown ->
                    problem(tableName(FilterFields.qualified(unknown.table())), unknown.path(), "the table does not exist in the database");
            case Malformed malformed -> malformed(table, malformed.subject(), malformed.name(), malformed.path(), malformed.reason());
        }
    }

    private void conditions(TableInfo table, ColumnInfo column, List<Condition> conditions) {
        for (Condition condition : conditions) {
            switch (condition) {
                case Malformed malformed -> malformed(table, malformed.subject(), malformed.name(), malformed.path(), malformed.reason());
                case Comparison comparison -> comparison(table, column, comparison);
            }
        }
    }

    private void comparison(TableInfo table, ColumnInfo column, Comparison comparison) {
        ComparisonOperator operator = comparison.operator();
        String dependency = columnName(table.name(), column.name());
        String at = comparison.path();
        switch (operator.applies()) {
            case ANY -> {
            }
            case TEXT -> {
                if (!ColumnTypes.isText(column)) {
                    problem(dependency, at, operator + " applies to text columns, not " + column.sqlType());
                }
            }
            case JSONB -> {
                if (!ColumnTypes.isJsonb(column)) {
                    problem(dependency, at, operator + " applies to jsonb columns, not " + column.sqlType());
                }
            }
            case GEOMETRY, SPATIAL, RASTER, LTREE -> {
                if (!ColumnTypes.extensionTypes(operator.applies()).contains(column.type()) || column.array()) {
                    problem(dependency, at, operator + " applies to " + String.join(" or ", ColumnTypes.extensionTypes(operator.applies()))
                            + " columns, not " + column.sqlType());
                }
            }
        }
        switch (comparison.operand()) {
            case Value value -> sessionVariables(operator, value.json(), at);
            case ColumnReference reference -> {
                TableInfo in = reference.root() ? root : table;
                if (in.column(reference.column()).isEmpty()) {
                    problem(columnName(in.name(), reference.column()), at, "the compared column does not exist");
                }
            }
            case InvalidOperand invalid -> malformed(table, invalid.subject(), column.name(), at, invalid.reason());
        }
    }

    /** The session variables of a value, or of the values of a list. */
    private void sessionVariables(ComparisonOperator operator, JsonNode value, String path) {
        if (value.isTextual()) {
            sessionVariable(value.textValue(), path);
        } else if (operator.operand() == ComparisonOperator.Operand.FIELDS && value.isObject()) {
            value.forEach(field -> {
                if (field.isTextual()) {
                    sessionVariable(field.textValue(), path);
                }
            });
        } else if (operator.operand() == ComparisonOperator.Operand.LIST && value.isArray()) {
            value.forEach(element -> {
                if (element.isTextual()) {
                    sessionVariable(element.textValue(), path);
                }
            });
        }
    }

    private void malformed(TableInfo table, Subject subject, String name, String path, String reason) {
        problem(switch (subject) {
            case EXPRESSION -> label;
            case OPERATOR -> "operator " + name;
            case FIELD -> columnName(table.name(), name);
        }, path, reason);
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

    /** Hasura writes {@code _table} as a name or as {@code {schema, name}}. */
    static QualifiedName tableOf(JsonNode node) {
        return TableName.of(node).map(FilterFields::qualified).orElseThrow(() -> new MetadataException("not a table name: " + node));
    }

    private void problem(String dependency, String path, String reason) {
        problems.add(Problem.of(owner, dependency, reason + " (" + label + " at " + path + ")"));
    }
}
