package io.joinery.proxy.subscription;

import io.joinery.proxy.sql.BindMode;
import io.joinery.proxy.sql.Param;
import io.joinery.proxy.sql.SqlQuery;

import java.util.List;

/**
 * A compiled statement made into the statement of a whole cohort of subscribers.
 *
 * <p>Note [Multiplexed parameters]: the compiler writes every value as a parameter placeholder
 * ({@code $n::text}, or {@code $n::text[]}), and nothing else in its text starts with {@code $}
 * outside quotes (identifiers are double-quoted, literals single-quoted, no dollar quoting). So the
 * statement of one subscriber becomes the statement of many by rewriting only its placeholders: the
 * subscribers arrive as two arrays, their ids and their bind values (one JSON array of texts each,
 * {@link #values}), unnested into rows, and {@code $n} becomes the n-th value of the row's array:
 * <pre>
 * SELECT joinery_subs.id, joinery_result.* FROM unnest($1::int4[], $2::text[]::jsonb[]) AS joinery_subs(id, vars)
 *   LEFT JOIN LATERAL (SELECT (… WHERE t0."author_id" = (joinery_subs.vars->>0)::text::"int4" …)::text) AS joinery_result ON true
 * </pre>
 * As Hasura's multiplexed query; the compiler needs no second mode, and a plan compiled for one
 * request serves the cohort unchanged. A text-array parameter becomes the array of the element's
 * texts (null stays null).
 */
final class MultiplexedQuery {

    private MultiplexedQuery() {
    }

    /** The cohort's statement for a compiled statement whose result is one row. */
    static String of(SqlQuery single) {
        String text = single.text();
        StringBuilder out = new StringBuilder(text.length() + 200)
                .append("SELECT joinery_subs.id, joinery_result.* FROM unnest($1::int4[], $2::text[]::jsonb[]) AS joinery_subs(id, vars)")
                .append(" LEFT JOIN LATERAL (");
        List<Param> params = single.params();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                int end = closing(text, i, c);
                out.append(text, i, end);
                i = end;
            } else if (c == '$' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))) {
                int end = i + 1;
                while (end < text.length() && Character.isDigit(text.charAt(end))) {
                    end++;
                }
                int index = Integer.parseInt(text, i + 1, end, 10) - 1;
                out.append(params.get(index).mode() == BindMode.TEXT_ARRAY
                        ? "(CASE WHEN jsonb_typeof(joinery_subs.vars->" + index + ") = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(joinery_subs.vars->"
                          + index + ")) END)"
                        : "(joinery_subs.vars->>" + index + ")");
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.append(") AS joinery_result ON true").toString();
    }

    /** The index just past the quoted section that starts at {@code start} (a doubled quote stays inside). */
    private static int closing(String text, int start, char quote) {
        int i = start + 1;
        while (i < text.length()) {
            if (text.charAt(i) == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return text.length();
    }

    /** A subscriber's bind values as the JSON array the statement reads: texts, arrays of texts, nulls. */
    static String values(io.vertx.sqlclient.Tuple bound) {
        StringBuilder out = new StringBuilder(64).append('[');
        for (int i = 0; i < bound.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Object value = bound.getValue(i);
            switch (value) {
                case null -> out.append("null");
                case String[] texts -> {
                    out.append('[');
                    for (int j = 0; j < texts.length; j++) {
                        out.append(j > 0 ? "," : "");
                        string(out, texts[j]);
                    }
                    out.append(']');
                }
                default -> string(out, String.valueOf(value));
            }
        }
        return out.append(']').toString();
    }

    private static void string(StringBuilder out, String text) {
        if (text == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
