package io.joinery.admin.check;

import java.util.Map;
import java.util.Set;

/**
 * The scalars an action or a custom type may use without defining them: GraphQL's built-in ones and
 * the names the engine gives Postgres types. Other Postgres types keep their own names in the
 * engine's schema (a column of type {@code inet} is a scalar {@code inet}); a custom scalar of that
 * name makes one usable here.
 */
public final class GraphqlScalars {

    /** The scalars of every GraphQL schema; a custom type cannot take their names. */
    public static final Set<String> BUILT_IN = Set.of("Int", "Float", "String", "Boolean", "ID");

    /**
     * The GraphQL names the engine gives Postgres types besides the built-in scalars, each with the
     * Postgres type it stands for. The engine's {@code ScalarKind} is the source; a test of the
     * proxy module holds the two together.
     */
    public static final Map<String, String> POSTGRES = Map.ofEntries(
            Map.entry("smallint", "int2"), Map.entry("bigint", "int8"), Map.entry("numeric", "numeric"),
            Map.entry("float8", "float8"), Map.entry("uuid", "uuid"), Map.entry("date", "date"), Map.entry("time", "time"),
            Map.entry("timetz", "timetz"), Map.entry("timestamp", "timestamp"), Map.entry("timestamptz", "timestamptz"),
            Map.entry("interval", "interval"), Map.entry("json", "json"), Map.entry("jsonb", "jsonb"), Map.entry("bpchar", "bpchar"));

    private GraphqlScalars() {
    }

    /** Whether {@code name} is a scalar every document may use. */
    public static boolean known(String name) {
        return BUILT_IN.contains(name) || POSTGRES.containsKey(name);
    }
}
