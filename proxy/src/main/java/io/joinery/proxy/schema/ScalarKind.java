package io.joinery.proxy.schema;

import java.util.Map;

/**
 * How a Postgres type appears in GraphQL, following Hasura: {@code int4}→{@code Int},
 * {@code float4}→{@code Float}, {@code text}/{@code varchar}→{@code String}, {@code bool}→{@code Boolean};
 * every other type keeps its Postgres name ({@code bigint}, {@code numeric}, {@code uuid},
 * {@code timestamptz}, {@code jsonb}, …). A Postgres enum type is a scalar of its own name, as in
 * Hasura ({@code CREATE TYPE mood AS ENUM …} → {@code scalar mood}, compared through
 * {@code mood_comparison_exp}), so a Hasura client's {@code $m: mood} declarations keep working.
 */
public enum ScalarKind {
    INT("Int", true, true),
    FLOAT("Float", true, true),
    STRING("String", false, true),
    BOOLEAN("Boolean", false, false),
    SMALLINT("smallint", true, true),
    BIGINT("bigint", true, true),
    NUMERIC("numeric", true, true),
    FLOAT8("float8", true, true),
    UUID("uuid", false, false),
    DATE("date", false, true),
    TIME("time", false, false),
    TIMETZ("timetz", false, true),
    TIMESTAMP("timestamp", false, true),
    TIMESTAMPTZ("timestamptz", false, true),
    INTERVAL("interval", false, true),
    JSON("json", false, false),
    JSONB("jsonb", false, false),
    BPCHAR("bpchar", false, true),
    OTHER(null, false, false);

    private static final Map<String, ScalarKind> BY_PG_TYPE = Map.ofEntries(
            Map.entry("int4", INT), Map.entry("int2", SMALLINT), Map.entry("int8", BIGINT),
            Map.entry("float4", FLOAT), Map.entry("float8", FLOAT8), Map.entry("numeric", NUMERIC),
            Map.entry("text", STRING), Map.entry("varchar", STRING), Map.entry("name", STRING),
            Map.entry("citext", STRING), Map.entry("bpchar", BPCHAR), Map.entry("bool", BOOLEAN),
            Map.entry("uuid", UUID), Map.entry("date", DATE), Map.entry("time", TIME), Map.entry("timetz", TIMETZ),
            Map.entry("timestamp", TIMESTAMP), Map.entry("timestamptz", TIMESTAMPTZ),
            Map.entry("interval", INTERVAL), Map.entry("json", JSON), Map.entry("jsonb", JSONB));

    private final String graphqlName;
    private final boolean numeric;
    private final boolean ordered;

    ScalarKind(String graphqlName, boolean numeric, boolean ordered) {
        this.graphqlName = graphqlName;
        this.numeric = numeric;
        this.ordered = ordered;
    }

    public static ScalarKind of(String pgType, boolean isEnum) {
        if (isEnum) {
            return OTHER;
        }
        return BY_PG_TYPE.getOrDefault(pgType, OTHER);
    }

    /** The GraphQL scalar name; for {@link #OTHER}, the Postgres type name itself. */
    public String graphqlName(String pgType) {
        return graphqlName != null ? graphqlName : pgType;
    }

    /** Whether sum/avg/stddev/variance apply. */
    public boolean numeric() {
        return numeric;
    }

    /** Whether min/max apply ({@code time} and {@code json} get none, as in Hasura). */
    public boolean ordered() {
        return ordered;
    }

    public boolean textual() {
        return this == STRING || this == BPCHAR;
    }

    public boolean json() {
        return this == JSON || this == JSONB;
    }
}
