package io.joinery.proxy.sql;

import io.joinery.proxy.plan.PlanValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Appends SQL text and collects parameters in one pass. Keywords and punctuation come only from
 * the engine's constants ({@link #sql}); identifiers only through {@link #ident} (the one quoting
 * function); values only through {@link #param}; JSON keys only as GraphQL names ({@link #key}).
 * The same value source with the same bind mode reuses its {@code $n}.
 */
public final class SqlWriter {

    private static final Pattern GRAPHQL_NAME = Pattern.compile("[_A-Za-z][_0-9A-Za-z]*");

    private final StringBuilder text = new StringBuilder(512);
    private final List<Param> params = new ArrayList<>();
    private final Map<Param, Integer> positions = new HashMap<>();

    public SqlWriter sql(String constant) {
        text.append(constant);
        return this;
    }

    /** A quoted identifier: {@code "name"}, embedded quotes doubled. */
    public SqlWriter ident(String name) {
        text.append(quote(name));
        return this;
    }

    /** {@code alias."column"}; table aliases are engine-made ({@code t0}, {@code t1}, …). */
    public SqlWriter column(String tableAlias, String column) {
        return alias(tableAlias).sql(".").ident(column);
    }

    /** A table alias made by the compiler. */
    public SqlWriter alias(String tableAlias) {
        if (!tableAlias.matches("t[0-9]+")) {
            throw new IllegalArgumentException("not an engine alias: " + tableAlias);
        }
        text.append(tableAlias);
        return this;
    }

    /** {@code "schema"."table"}. */
    public SqlWriter table(String schema, String table) {
        return ident(schema).sql(".").ident(table);
    }

    /** A JSON object key, which is always a GraphQL name, as a string literal. */
    public SqlWriter key(String graphqlName) {
        if (!GRAPHQL_NAME.matcher(graphqlName).matches()) {
            throw new IllegalArgumentException("not a GraphQL name: " + graphqlName);
        }
        text.append('\'').append(graphqlName).append('\'');
        return this;
    }

    /** A parameter sent as text and cast to {@code sqlType} ({@code $n::text::"int4"}); a null type leaves it text. */
    public SqlWriter param(PlanValue value, BindMode mode, String sqlType) {
        Param param = new Param(value, mode);
        Integer position = positions.get(param);
        if (position == null) {
            params.add(param);
            position = params.size();
            positions.put(param, position);
        }
        text.append('$').append(position).append(mode == BindMode.TEXT_ARRAY ? "::text[]" : "::text");
        if (sqlType != null) {
            text.append("::");
            type(sqlType, mode == BindMode.TEXT_ARRAY);
        }
        return this;
    }

    private void type(String sqlType, boolean array) {
        boolean arrayType = sqlType.endsWith("[]");
        String base = arrayType ? sqlType.substring(0, sqlType.length() - 2) : sqlType;
        text.append(quote(base));
        if (arrayType || array) {
            text.append("[]");
        }
    }

    /** One column of a column definition list: {@code "name" "type"}. */
    public SqlWriter columnDefinition(String name, String sqlType) {
        ident(name).sql(" ");
        type(sqlType, false);
        return this;
    }

    public SqlQuery build() {
        return new SqlQuery(text.toString(), params);
    }

    public static String quote(String identifier) {
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("identifier contains NUL");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
