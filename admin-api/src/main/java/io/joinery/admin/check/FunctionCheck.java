package io.joinery.admin.check;

import io.joinery.admin.catalog.FunctionInfo;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.admin.metadata.TrackedFunction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of a tracked function, as Hasura's: it exists once (no overloads); it is STABLE or
 * IMMUTABLE (Hasura serves a VOLATILE one as a mutation, which Joinery does not); it returns
 * {@code SETOF} a table tracked in the same source; {@code session_argument} is a {@code json} or
 * {@code jsonb} argument; every other argument has a name (it becomes a field of {@code args}); its root
 * field name is a GraphQL name that, nor with {@code _aggregate} appended, no table's root field nor
 * earlier function takes. The object is
 * {@code function search_articles} ({@code source analytics, function …} outside the default source).
 */
final class FunctionCheck {

    private static final Set<String> JSON_TYPES = Set.of("json", "jsonb");
    private static final Pattern GRAPHQL_NAME = Pattern.compile("[_A-Za-z][_0-9A-Za-z]*");

    private FunctionCheck() {
    }

    static String describe(String source, TrackedFunction function) {
        return new MetadataObject.FunctionRef(source, function.functionName()).describe();
    }

    /** The root field names of every source's tables, each with its owner ({@code table author}). */
    static Map<String, String> tableRootFields(Metadata metadata) {
        Map<String, String> owners = new HashMap<>();
        for (Source source : metadata.sources()) {
            for (TableConfig table : source.tables()) {
                table.rootFieldNames().forEach(root -> owners.putIfAbsent(root,
                        (Source.DEFAULT.equals(source.name()) ? "" : "source " + source.name() + ", ") + "table " + table.qualifiedName()));
            }
        }
        return owners;
    }

    /**
     * Root field names: each tracked function's ({@code name} and {@code name_aggregate}) against the
     * tables' and the functions' before it, in document order; the first collision of each is reported.
     */
    static List<Problem> nameProblems(Metadata metadata) {
        Map<String, String> owners = tableRootFields(metadata);
        List<Problem> problems = new ArrayList<>();
        for (Source source : metadata.sources()) {
            for (TrackedFunction function : source.functions()) {
                String object = describe(source.name(), function);
                String root = function.rootField();
                String dependency = "root field " + root;
                if (!GRAPHQL_NAME.matcher(root).matches()) {
                    problems.add(new Problem(object, dependency, "not a valid GraphQL name; give the function a 'name'"));
                    continue;
                }
                for (String field : List.of(root, root + "_aggregate")) {
                    String owner = owners.putIfAbsent(field, object);
                    if (owner != null) {
                        problems.add(new Problem(object, "root field " + field, "the query root field is already " + owner + "'s"));
                        break;
                    }
                }
            }
        }
        return problems;
    }

    static List<Problem> problems(SourceScope scope, TrackedFunction definition) {
        String object = describe(scope.source().name(), definition);
        QualifiedName name = definition.functionName();
        String dependency = "function " + name;
        List<FunctionInfo> found = scope.catalog().functions(name);
        if (found.isEmpty()) {
            return List.of(new Problem(object, dependency, "the function does not exist (or has OUT arguments)"));
        }
        if (found.size() > 1) {
            return List.of(new Problem(object, dependency, "the function is overloaded; a tracked function needs exactly one"));
        }
        FunctionInfo function = found.getFirst();
        List<Problem> problems = new ArrayList<>();
        if (!function.stableOrImmutable()) {
            problems.add(new Problem(object, dependency, "the function is " + function.volatilityName()
                    + ": Hasura serves such a function as a mutation, which Joinery does not support; declare it STABLE or IMMUTABLE"));
        }
        if (!function.returnsSet() || !function.returnsRow() || scope.tracked(function.returnType()).isEmpty()) {
            problems.add(new Problem(object, dependency, "it returns " + (function.returnsSet() ? "SETOF " : "") + function.returnType()
                    + "; a tracked function returns SETOF a table tracked in source " + scope.source().name()));
        }
        String session = definition.sessionArgument();
        if (session != null) {
            function.argument(session).ifPresentOrElse(argument -> {
                if (!argument.type().schema().equals("pg_catalog") || !JSON_TYPES.contains(argument.type().name())) {
                    problems.add(new Problem(object, dependency, "its session argument '" + session + "' is of type "
                            + argument.type() + ", not json or jsonb"));
                }
            }, () -> problems.add(new Problem(object, dependency, "the function has no argument '" + session + "'")));
        }
        for (FunctionInfo.Argument argument : function.arguments()) {
            if (session != null && session.equals(argument.name())) {
                continue;
            }
            if (argument.name() == null) {
                problems.add(new Problem(object, dependency, "an argument has no name, so it cannot be one of the field's args"));
            } else if (argument.type().name().startsWith("_") || argument.row() && !argument.type().schema().equals("public")) {
                problems.add(new Problem(object, dependency, "its argument '" + argument.name() + "' is of type "
                        + argument.type() + ", which cannot be a GraphQL argument"));
            }
        }
        return problems;
    }
}
