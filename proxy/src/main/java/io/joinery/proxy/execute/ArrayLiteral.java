package io.joinery.proxy.execute;

import java.util.ArrayList;
import java.util.List;

/**
 * A one-dimensional Postgres array literal ({@code {a,"b c",NULL}}) read into its items, as a session
 * variable holds a list for {@code _in}, {@code _nin}, {@code _has_keys_any}, … in a permission (Hasura's
 * format: {@code X-Hasura-Allowed-Ids: {1,2,3}}). Quoted items may contain commas, braces and
 * backslash-escaped quotes; an unquoted {@code NULL} is SQL null.
 */
final class ArrayLiteral {

    private ArrayLiteral() {
    }

    /** Whether {@code text} is written as an array literal, braces around. */
    static boolean is(String text) {
        String trimmed = text.strip();
        return trimmed.startsWith("{") && trimmed.endsWith("}");
    }

    static List<String> items(String text) {
        String body = text.strip();
        body = body.substring(1, body.length() - 1);
        List<String> items = new ArrayList<>();
        if (body.isBlank()) {
            return items;
        }
        StringBuilder item = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                item.append(body.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                wasQuoted = true;
            } else if (c == ',' && !quoted) {
                items.add(item(item, wasQuoted));
                item.setLength(0);
                wasQuoted = false;
            } else {
                item.append(c);
            }
        }
        items.add(item(item, wasQuoted));
        return items;
    }

    private static String item(StringBuilder item, boolean quoted) {
        String text = quoted ? item.toString() : item.toString().strip();
        return !quoted && text.equalsIgnoreCase("NULL") ? null : text;
    }
}
