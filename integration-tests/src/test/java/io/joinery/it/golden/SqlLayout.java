package io.joinery.it.golden;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Lays a statement out for review, one subquery per indented block, so a change shows as a diff of a few
 * lines instead of one line of a thousand characters. Only whitespace changes, and only outside quotes:
 * a line break goes after the {@code (} that opens a subquery and before its {@code )}, and before
 * {@code FROM}, {@code WHERE}, {@code ORDER BY}, {@code LIMIT} and the like of the statement or subquery
 * itself (not of a function call's arguments). The text otherwise stays as it was sent, so every
 * character Postgres received is still in the golden file.
 */
final class SqlLayout {

    private static final String INDENT = "  ";
    private static final List<String> CLAUSES = List.of("FROM ", "WHERE ", "GROUP BY ", "HAVING ", "ORDER BY ", "LIMIT ", "OFFSET ",
            "LEFT JOIN ", "JOIN ", "CROSS JOIN ", "UNION ALL ");

    private SqlLayout() {
    }

    static String of(String sql) {
        StringBuilder out = new StringBuilder();
        // true: a subquery's parenthesis, whose clauses start lines; false: a call's or an expression's
        Deque<Boolean> parens = new ArrayDeque<>();
        int depth = 0;
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = closingQuote(sql, i, c);
                out.append(sql, i, end);
                i = end;
                continue;
            }
            if (c == '(') {
                boolean subquery = sql.startsWith("SELECT ", i + 1);
                parens.push(subquery);
                out.append(c);
                if (subquery) {
                    depth++;
                    newline(out, depth);
                }
                i++;
                continue;
            }
            if (c == ')') {
                if (!parens.isEmpty() && parens.pop()) {
                    depth--;
                    newline(out, depth);
                }
                out.append(c);
                i++;
                continue;
            }
            if (c == ' ' && (parens.isEmpty() || parens.peek()) && startsClause(sql, i + 1)
                    && !(sql.startsWith("LEFT", i - 4) || sql.startsWith("CROSS", i - 5))) {
                newline(out, depth);
                i++;
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static boolean startsClause(String sql, int at) {
        for (String clause : CLAUSES) {
            if (sql.startsWith(clause, at)) {
                return true;
            }
        }
        return false;
    }

    /** The index after the quote that closes the one at {@code start} (a doubled quote is part of the text). */
    private static int closingQuote(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    private static void newline(StringBuilder out, int depth) {
        out.append('\n').append(INDENT.repeat(Math.max(0, depth)));
    }
}
