package io.joinery.policies.auth;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON paths of Hasura's JWT configuration ({@code claims_namespace_path}, {@code claims_map}):
 * {@code $} followed by {@code .name}, {@code ['name']} / {@code ["name"]} (for names with dots or
 * slashes, such as {@code https://hasura.io/jwt/claims}) and {@code [index]}. Nothing else (no
 * wildcards, no filters): a path names one value.
 */
public record JsonPath(String text, List<Object> steps) {

    public JsonPath {
        steps = List.copyOf(steps);
    }

    /** A path of one object key. */
    public static JsonPath key(String name) {
        return new JsonPath("$['" + name + "']", List.of(name));
    }

    public static JsonPath parse(String text) {
        if (!text.startsWith("$")) {
            throw new IllegalArgumentException("the JSON path '" + text + "' must start with $");
        }
        List<Object> steps = new ArrayList<>();
        int i = 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
                    end++;
                }
                if (end == i + 1) {
                    throw bad(text);
                }
                steps.add(text.substring(i + 1, end));
                i = end;
            } else if (c == '[' && i + 1 < text.length() && (text.charAt(i + 1) == '\'' || text.charAt(i + 1) == '"')) {
                char quote = text.charAt(i + 1);
                int close = text.indexOf(quote, i + 2);
                if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ']') {
                    throw bad(text);
                }
                steps.add(text.substring(i + 2, close));
                i = close + 2;
            } else if (c == '[') {
                int close = text.indexOf(']', i);
                if (close < 0) {
                    throw bad(text);
                }
                try {
                    steps.add(Integer.parseInt(text.substring(i + 1, close)));
                } catch (NumberFormatException e) {
                    throw bad(text);
                }
                i = close + 1;
            } else {
                throw bad(text);
            }
        }
        return new JsonPath(text, steps);
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("'" + text + "' is not a JSON path of the form $.a.b, $['a.b'] or $.a[0]");
    }

    /** The value at this path, if there is one (JSON null counts as none). */
    public Optional<JsonNode> find(JsonNode root) {
        JsonNode node = root;
        for (Object step : steps) {
            node = step instanceof Integer index ? node.path(index) : node.path((String) step);
        }
        return node.isMissingNode() || node.isNull() ? Optional.empty() : Optional.of(node);
    }
}
