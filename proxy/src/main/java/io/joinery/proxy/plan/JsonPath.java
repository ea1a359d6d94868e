package io.joinery.proxy.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * Hasura's path into a json/jsonb column ({@code doc(path: "$.obj.c1")}, {@code "arr[0]"},
 * {@code "objs[0]['你好']"}), read into the steps Postgres' {@code #>} takes: keys, and array
 * indexes as their digits. {@code $} alone is the whole value (no step). The grammar is Hasura's
 * ({@code Data.Parser.JSONPath}): an optional {@code $}, then one or more steps, each a name
 * (a letter or {@code _}, then letters, digits, {@code _} or {@code -}) after an optional dot, or a
 * bracket holding an index, a double-quoted JSON string or a single-quoted one. A dot before a
 * bracket is accepted too ({@code objs[0].["你好"]}), as Hasura's suite expects.
 */
public final class JsonPath {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String text;
    private int at;

    private JsonPath(String text) {
        this.text = text;
    }

    /** The steps of {@code path}; a path that is not one is an {@link IllegalArgumentException} with Hasura's message. */
    public static List<String> steps(String path) {
        if (path.equals("$")) {
            return List.of();
        }
        JsonPath parser = new JsonPath(path);
        if (path.startsWith("$")) {
            parser.at = 1;
        }
        List<String> steps = new ArrayList<>();
        do {
            steps.add(parser.step());
        } while (parser.at < path.length());
        return steps;
    }

    private String step() {
        if (peek() == '.') {
            at++;
        }
        if (peek() == '[') {
            at++;
            String step = switch (peek()) {
                case '"' -> quoted('"');
                case '\'' -> quoted('\'');
                default -> index();
            };
            expect(']');
            return step;
        }
        return name();
    }

    private String name() {
        int start = at;
        int first = at < text.length() ? text.codePointAt(at) : -1;
        if (first < 0 || !(Character.isLetter(first) || first == '_')) {
            throw invalid();
        }
        at += Character.charCount(first);
        while (at < text.length()) {
            int c = text.codePointAt(at);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
                break;
            }
            at += Character.charCount(c);
        }
        return text.substring(start, at);
    }

    private String index() {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        if (start == at) {
            throw invalid();
        }
        return new java.math.BigInteger(text.substring(start, at)).toString();
    }

    /** A quoted key: its text is a JSON string's (escapes included); in single quotes, {@code \'} is a quote and {@code "} itself. */
    private String quoted(char quote) {
        at++;
        StringBuilder json = new StringBuilder("\"");
        while (true) {
            if (at >= text.length()) {
                throw invalid();
            }
            char c = text.charAt(at++);
            if (c == quote) {
                break;
            }
            if (c == '\\') {
                if (at >= text.length()) {
                    throw invalid();
                }
                char escaped = text.charAt(at++);
                json.append(quote == '\'' && escaped == '\'' ? "'" : "\\" + escaped);
            } else if (c == '"') {
                json.append("\\\"");
            } else {
                json.append(c);
            }
        }
        try {
            return JSON.readValue(json.append('"').toString(), String.class);
        } catch (JsonProcessingException e) {
            throw invalid();
        }
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) {
            throw invalid();
        }
        at++;
    }

    private IllegalArgumentException invalid() {
        return new IllegalArgumentException("parse json path error: " + text + ". Accept letters, digits, underscore (_) or hyphen (-) only."
                + " Use quotes enclosed in bracket ([\"...\"]) if there is any special character");
    }
}
