package io.joinery.admin.check;

import io.joinery.admin.catalog.ColumnInfo;
import io.joinery.admin.catalog.EnumValue;
import io.joinery.admin.catalog.TableInfo;
import io.joinery.admin.check.MetadataObject.TableRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.joinery.admin.check.SourceScope.columnName;

/**
 * Hasura's rules for an enum table ({@code is_enum: true}): a primary key of exactly one
 * {@code text} column, at most one other column (of type {@code text}: the values' descriptions), at
 * least one row, and every key a valid GraphQL enum value name. The admin API reports a table that
 * breaks them; schema generation serves it as a plain table, without the enum.
 */
public final class EnumTableCheck {

    private static final Pattern NAME = Pattern.compile("[_A-Za-z][_0-9A-Za-z]*");
    private static final Set<String> RESERVED = Set.of("true", "false", "null");

    private EnumTableCheck() {
    }

    /** Whether {@code value} may name a GraphQL enum value: a GraphQL name other than true, false and null. */
    public static boolean validValueName(String value) {
        return value != null && NAME.matcher(value).matches() && !RESERVED.contains(value);
    }

    /**
     * What keeps {@code table} from being the enum table {@code ref} says it is; {@code rows} are
     * its rows as the catalog read them, empty when they were not read.
     */
    public static List<Problem> problems(TableRef ref, TableInfo table, Optional<List<EnumValue>> rows) {
        List<Problem> problems = new ArrayList<>();
        String keyDependency = "primary key of table " + table.name();
        if (table.primaryKey().isEmpty()) {
            problems.add(Problem.of(ref, keyDependency, "an enum table needs a primary key; the table has none"));
        } else if (table.primaryKey().size() > 1) {
            problems.add(Problem.of(ref, keyDependency, "an enum table's primary key is one column, not "
                    + table.primaryKey().size() + " (" + String.join(", ", table.primaryKey()) + ")"));
        } else {
            table.column(table.primaryKey().getFirst()).filter(column -> !isText(column)).ifPresent(column ->
                    problems.add(Problem.of(ref, columnName(table.name(), column.name()),
                            "an enum table's primary key must have type text, not " + column.sqlType())));
        }
        List<ColumnInfo> others = table.columns().stream().filter(c -> !table.primaryKey().contains(c.name())).toList();
        if (others.size() > 1) {
            problems.add(Problem.of(ref, "columns of table " + table.name(), "an enum table has its primary key and at most"
                    + " one description column, not " + others.size() + " other columns ("
                    + others.stream().map(ColumnInfo::name).collect(Collectors.joining(", ")) + ")"));
        } else if (others.size() == 1 && !isText(others.getFirst())) {
            problems.add(Problem.of(ref, columnName(table.name(), others.getFirst().name()),
                    "an enum table's description column must have type text, not " + others.getFirst().sqlType()));
        }
        if (problems.isEmpty()) {
            rowProblem(ref, table, rows).ifPresent(problems::add);
        }
        return problems;
    }

    private static Optional<Problem> rowProblem(TableRef ref, TableInfo table, Optional<List<EnumValue>> rows) {
        String dependency = "rows of table " + table.name();
        if (rows.isEmpty()) {
            return Optional.of(Problem.of(ref, dependency, "the rows could not be read"));
        }
        if (rows.get().isEmpty()) {
            return Optional.of(Problem.of(ref, dependency, "an enum table needs at least one row; the table has none"));
        }
        List<String> invalid = rows.get().stream().map(EnumValue::value).filter(value -> !validValueName(value)).toList();
        if (invalid.isEmpty()) {
            return Optional.empty();
        }
        String values = invalid.stream().map(value -> "'" + value + "'").collect(Collectors.joining(", "));
        return Optional.of(Problem.of(ref, dependency, (invalid.size() == 1 ? "the value " + values + " is not a valid GraphQL enum value name"
                : "the values " + values + " are not valid GraphQL enum value names") + " ([_A-Za-z][_0-9A-Za-z]*, not true, false or null)"));
    }

    private static boolean isText(ColumnInfo column) {
        return !column.array() && !column.isEnum() && column.type().equals("text");
    }
}
