package io.joinery.admin.check;

import io.joinery.admin.catalog.FunctionInfo;
import io.joinery.admin.catalog.TableInfo;
import io.joinery.admin.check.MetadataObject.PermissionRef;
import io.joinery.admin.metadata.ComputedField;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.SelectPermission;
import io.joinery.admin.metadata.TableConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.joinery.admin.check.SourceScope.columnName;

/**
 * The rules of a computed field, as Hasura's: its function exists once (no overloads); the row
 * argument (the first, or {@code table_argument}) has the table's row type; {@code session_argument}
 * is {@code json} or {@code jsonb}; it is STABLE or IMMUTABLE; it returns a base type or {@code SETOF} a
 * tracked table; every other argument has a name (it becomes a field of {@code args}); the field's
 * name is not a column's or a relationship's. The object is {@code table author, computed field full_name}.
 */
final class ComputedFieldCheck {

    private static final Set<String> JSON_TYPES = Set.of("json", "jsonb");

    private ComputedFieldCheck() {
    }

    static String describe(MetadataObject.TableRef table, String field) {
        return new MetadataObject.ComputedFieldRef(table, field).describe();
    }

    static List<Problem> problems(SourceScope scope, TableConfig config, TableInfo table, String field, ComputedField definition) {
        String object = describe(scope.ref(table.name()), field);
        List<Problem> problems = new ArrayList<>();
        table.columns().stream()
                .filter(column -> config.columns().getOrDefault(column.name(), column.name()).equals(field))
                .forEach(column -> problems.add(new Problem(object, columnName(table.name(), column.name()),
                        "the computed field has the same name as a column of its table")));
        if (config.relationships().containsKey(field) || config.remoteRelationships().containsKey(field)) {
            problems.add(new Problem(object, "relationship " + table.name() + "." + field,
                    "the computed field has the same name as a relationship of its table"));
        }
        QualifiedName name = definition.functionName();
        String dependency = "function " + name;
        List<FunctionInfo> found = scope.catalog().functions(name);
        if (found.isEmpty()) {
            problems.add(new Problem(object, dependency, "the function does not exist (or has OUT arguments)"));
            return problems;
        }
        if (found.size() > 1) {
            problems.add(new Problem(object, dependency, "the function is overloaded; a computed field needs exactly one"));
            return problems;
        }
        FunctionInfo function = found.getFirst();
        Optional<FunctionInfo.Argument> row = rowArgument(function, definition);
        if (row.isEmpty()) {
            problems.add(new Problem(object, dependency, definition.tableArgument() == null
                    ? "the function has no argument for the table's row"
                    : "the function has no argument '" + definition.tableArgument() + "'"));
        } else if (!row.get().row() || !row.get().type().equals(table.name())) {
            problems.add(new Problem(object, dependency, "its table argument" + named(row.get()) + " is of type "
                    + row.get().type() + ", not the row type of table " + table.name()));
        }
        if (definition.sessionArgument() != null) {
            Optional<FunctionInfo.Argument> session = function.argument(definition.sessionArgument());
            if (session.isEmpty()) {
                problems.add(new Problem(object, dependency, "the function has no argument '" + definition.sessionArgument() + "'"));
            } else if (!session.get().type().schema().equals("pg_catalog") || !JSON_TYPES.contains(session.get().type().name())) {
                problems.add(new Problem(object, dependency, "its session argument '" + definition.sessionArgument()
                        + "' is of type " + session.get().type() + ", not json or jsonb"));
            }
        }
        if (!function.stableOrImmutable()) {
            problems.add(new Problem(object, dependency, "the function is " + function.volatilityName()
                    + "; a computed field needs a STABLE or IMMUTABLE one"));
        }
        returnProblem(scope, function).ifPresent(reason -> problems.add(new Problem(object, dependency, reason)));
        for (FunctionInfo.Argument argument : function.arguments()) {
            boolean special = row.map(argument::equals).orElse(false)
                    || (definition.sessionArgument() != null && definition.sessionArgument().equals(argument.name()));
            if (!special && argument.name() == null) {
                problems.add(new Problem(object, dependency, "an argument has no name, so it cannot be one of the field's args"));
            }
        }
        return problems;
    }

    /** The argument the row goes to: {@code table_argument}, or the first. */
    static Optional<FunctionInfo.Argument> rowArgument(FunctionInfo function, ComputedField definition) {
        if (definition.tableArgument() != null) {
            return function.argument(definition.tableArgument());
        }
        return function.arguments().stream().findFirst();
    }

    private static Optional<String> returnProblem(SourceScope scope, FunctionInfo function) {
        if (function.returnsSet() && function.returnsRow()) {
            return scope.tracked(function.returnType()).isPresent() ? Optional.empty()
                    : Optional.of("it returns SETOF " + function.returnType() + ", which is not a tracked table");
        }
        if (!function.returnsSet() && ("b".equals(function.returnKind()) || "e".equals(function.returnKind()))
                && !function.returnType().name().startsWith("_")) {
            return Optional.empty();
        }
        return Optional.of("it returns " + (function.returnsSet() ? "SETOF " : "") + function.returnType()
                + "; a computed field returns a base type or SETOF a tracked table");
    }

    private static String named(FunctionInfo.Argument argument) {
        return argument.name() == null ? "" : " '" + argument.name() + "'";
    }

    /** A select permission may list only the table's computed fields. */
    static List<Problem> permissionProblems(TableConfig config, PermissionRef ref, SelectPermission permission) {
        return permission.computedFields().stream()
                .filter(field -> !config.computedFields().containsKey(field))
                .map(field -> Problem.of(ref, "computed field " + config.qualifiedName() + "." + field,
                        "the permitted computed field does not exist"))
                .toList();
    }
}
