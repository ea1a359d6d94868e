package io.joinery.proxy.sql;

import io.joinery.proxy.plan.PlanValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Appends SQL text and collects parameters in one pass. Keywords and punctuation come only from
 * the engine's constants ({@link #sql}); identifiers only through {@link #ident} (the one quoting
 * function); values only through {@link #param}. The statement carries no JSON key: the
 * sidecar writes the keys.
 * The same value source with the same bind mode reuses its {@code $n}.
 */
public final class SqlWriter {

    private final StringBuilder text = new StringBuilder(512);
    private final List<Param> params = new ArrayList<>();
    private final Map<Param, Integer> positions = new HashMap<>();
    private final Map<String, Set<String>> read = new HashMap<>();
    private final Set<String> wholeRows = new HashSet<>();

    public SqlWriter sql(String constant) {
        text.append(constant);
        return this;
    }

    /** Where the text ends now: a place for {@link #insert}. */
    public int mark() {
        return text.length();
    }

    /**
     * The engine's {@code constant} written at {@code mark}, a place already written past (a record's
     * opening, once its values are counted); what follows moves along. Marks taken after it are stale.
     */
    public SqlWriter insert(int mark, String constant) {
        text.insert(mark, constant);
        return this;
    }

    /** A quoted identifier: {@code "name"}, embedded quotes doubled. */
    public SqlWriter ident(String name) {
        text.append(quote(name));
        return this;
    }

    /** {@code alias."column"}; table aliases are engine-made ({@code t0}, {@code t1}, …). */
    public SqlWriter column(String tableAlias, String column) {
        read.computeIfAbsent(tableAlias, a -> new LinkedHashSet<>()).add(column);
        return alias(tableAlias).sql(".").ident(column);
    }

    /** Counts {@code column} of {@code tableAlias} as read, where it is written later than the select that must provide it ({@link #columnsRead}). */
    public SqlWriter read(String tableAlias, String column) {
        read.computeIfAbsent(tableAlias, a -> new LinkedHashSet<>()).add(column);
        return this;
    }

    /** A table alias standing for its whole row ({@code t0::"schema"."table"}, {@code count(DISTINCT t0.*)}). */
    public SqlWriter wholeRow(String tableAlias) {
        wholeRows.add(tableAlias);
        return alias(tableAlias);
    }

    /**
     * The columns of {@code tableAlias} written so far, in the order first written; null when its
     * whole row was ({@link #wholeRow}).
     */
    public List<String> columnsRead(String tableAlias) {
        return wholeRows.contains(tableAlias) ? null : List.copyOf(read.getOrDefault(tableAlias, new LinkedHashSet<>()));
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
        int schema = base.indexOf('\0');   // ColumnModel.qualifiedType: a type outside the search path
        text.append(schema < 0 ? quote(base) : quote(base.substring(0, schema)) + "." + quote(base.substring(schema + 1)));
        if (arrayType || array) {
            text.append("[]");
        }
    }

    /** {@code ::text::"type"}: the expression before it, as text, cast to {@code sqlType}. */
    public SqlWriter cast(String sqlType) {
        text.append("::text::");
        type(sqlType, false);
        return this;
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
