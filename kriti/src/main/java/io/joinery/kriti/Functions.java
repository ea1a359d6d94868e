package io.joinery.kriti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Kriti's basic functions, the ones Hasura documents for every template ({@code empty},
 * {@code size}, {@code inverse}, {@code head}, {@code tail}, {@code toCaseFold}, {@code toLower},
 * {@code toUpper}, {@code toTitle}, {@code escapeUri}, {@code fromPairs}, {@code toPairs},
 * {@code removeNulls}, {@code concat}, {@code not}), plus {@code length} and {@code isEmpty} as other
 * names of {@code size} and {@code empty}. Each takes one value.
 */
final class Functions {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static final Map<String, KritiFunction> BUILT_IN = Map.ofEntries(
            Map.entry("empty", Functions::empty),
            Map.entry("isEmpty", Functions::empty),
            Map.entry("size", Functions::size),
            Map.entry("length", Functions::size),
            Map.entry("inverse", Functions::inverse),
            Map.entry("head", Functions::head),
            Map.entry("tail", Functions::tail),
            Map.entry("toCaseFold", value -> TextNode.valueOf(string(value).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT))),
            Map.entry("toLower", value -> TextNode.valueOf(string(value).toLowerCase(Locale.ROOT))),
            Map.entry("toUpper", value -> TextNode.valueOf(string(value).toUpperCase(Locale.ROOT))),
            Map.entry("toTitle", value -> TextNode.valueOf(title(string(value)))),
            Map.entry("escapeUri", value -> TextNode.valueOf(escapeUri(string(value)))),
            Map.entry("fromPairs", Functions::fromPairs),
            Map.entry("toPairs", Functions::toPairs),
            Map.entry("removeNulls", Functions::removeNulls),
            Map.entry("concat", Functions::concat),
            Map.entry("not", value -> {
                if (!value.isBoolean()) {
                    throw new IllegalArgumentException("expected a boolean, got " + Json.typeName(value));
                }
                return BooleanNode.valueOf(!value.booleanValue());
            }));

    private Functions() {
    }

    private static String string(JsonNode value) {
        if (!value.isTextual()) {
            throw new IllegalArgumentException("expected a string, got " + Json.typeName(value));
        }
        return value.textValue();
    }

    /** True for an empty object, array or (blank) string, for 0 and for null; a boolean has no emptiness. */
    private static JsonNode empty(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT, ARRAY -> BooleanNode.valueOf(value.isEmpty());
            case STRING -> BooleanNode.valueOf(value.textValue().isBlank());
            case NUMBER -> BooleanNode.valueOf(value.decimalValue().signum() == 0);
            case NULL, MISSING -> BooleanNode.TRUE;
            default -> throw new IllegalArgumentException("a boolean is neither empty nor not");
        };
    }

    /** An array's or object's number of elements, a string's number of characters, a number itself, 1/0 for true/false, 0 for null. */
    private static JsonNode size(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT, ARRAY -> IntNode.valueOf(value.size());
            case STRING -> IntNode.valueOf(value.textValue().codePointCount(0, value.textValue().length()));
            case NUMBER -> value;
            case BOOLEAN -> IntNode.valueOf(value.booleanValue() ? 1 : 0);
            default -> IntNode.valueOf(0);
        };
    }

    /** An array or string reversed, a number's reciprocal, a boolean negated; an object or null as it is. */
    private static JsonNode inverse(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> {
                ArrayNode out = NODES.arrayNode(value.size());
                for (int i = value.size() - 1; i >= 0; i--) {
                    out.add(value.get(i));
                }
                yield out;
            }
            case STRING -> TextNode.valueOf(new StringBuilder(value.textValue()).reverse().toString());
            case NUMBER -> {
                if (value.decimalValue().signum() == 0) {
                    throw new IllegalArgumentException("0 has no inverse");
                }
                yield Json.number(BigDecimal.ONE.divide(value.decimalValue(), MathContext.DECIMAL64));
            }
            case BOOLEAN -> BooleanNode.valueOf(!value.booleanValue());
            default -> value;
        };
    }

    private static JsonNode head(JsonNode value) {
        if (value.isArray()) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("an empty array has no head");
            }
            return value.get(0);
        }
        if (value.isTextual()) {
            String text = value.textValue();
            if (text.isEmpty()) {
                throw new IllegalArgumentException("an empty string has no head");
            }
            return TextNode.valueOf(text.substring(0, text.offsetByCodePoints(0, 1)));
        }
        throw new IllegalArgumentException("expected an array or a string, got " + Json.typeName(value));
    }

    private static JsonNode tail(JsonNode value) {
        if (value.isArray()) {
            ArrayNode out = NODES.arrayNode();
            for (int i = 1; i < value.size(); i++) {
                out.add(value.get(i));
            }
            return out;
        }
        if (value.isTextual()) {
            String text = value.textValue();
            return TextNode.valueOf(text.isEmpty() ? "" : text.substring(text.offsetByCodePoints(0, 1)));
        }
        throw new IllegalArgumentException("expected an array or a string, got " + Json.typeName(value));
    }

    /** Each letter after a non-letter in title case, each letter after a letter in lower case (Haskell's {@code Data.Text.toTitle}). */
    static String title(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean afterLetter = false;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (Character.isLetter(c)) {
                out.appendCodePoint(afterLetter ? Character.toLowerCase(c) : Character.toTitleCase(c));
                afterLetter = true;
            } else {
                out.appendCodePoint(c);
                afterLetter = false;
            }
            i += Character.charCount(c);
        }
        return out.toString();
    }

    /** Percent-encodes every byte of the UTF-8 text but the unreserved characters of RFC 3986 ({@code A-Z a-z 0-9 - . _ ~}). */
    static String escapeUri(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** {@code [["a", 1], ["b", 2]]} → {@code {"a": 1, "b": 2}}. */
    private static JsonNode fromPairs(JsonNode value) {
        String shape = "expected an array of shape [[k1, v1], [k2, v2], …] with string keys";
        if (!value.isArray()) {
            throw new IllegalArgumentException(shape + ", got " + Json.typeName(value));
        }
        ObjectNode out = NODES.objectNode();
        for (JsonNode pair : value) {
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual()) {
                throw new IllegalArgumentException(shape);
            }
            out.set(pair.get(0).textValue(), pair.get(1));
        }
        return out;
    }

    /** {@code {"a": 1, "b": 2}} → {@code [["a", 1], ["b", 2]]}. */
    private static JsonNode toPairs(JsonNode value) {
        if (!value.isObject()) {
            throw new IllegalArgumentException("expected an object, got " + Json.typeName(value));
        }
        ArrayNode out = NODES.arrayNode(value.size());
        value.properties().forEach(entry -> out.add(NODES.arrayNode(2).add(entry.getKey()).add(entry.getValue())));
        return out;
    }

    private static JsonNode removeNulls(JsonNode value) {
        if (!value.isArray()) {
            throw new IllegalArgumentException("expected an array, got " + Json.typeName(value));
        }
        ArrayNode out = NODES.arrayNode(value.size());
        value.forEach(element -> {
            if (!element.isNull()) {
                out.add(element);
            }
        });
        return out;
    }

    /** An array of arrays flattened, of strings joined, or of objects merged (the rightmost wins a repeated key). */
    private static JsonNode concat(JsonNode value) {
        if (!value.isArray()) {
            throw new IllegalArgumentException("expected an array of arrays, strings or objects, got " + Json.typeName(value));
        }
        if (all(value, JsonNode::isArray)) {
            ArrayNode out = NODES.arrayNode();
            value.forEach(element -> out.addAll((ArrayNode) element));
            return out;
        }
        if (all(value, JsonNode::isTextual)) {
            StringBuilder out = new StringBuilder();
            value.forEach(element -> out.append(element.textValue()));
            return TextNode.valueOf(out.toString());
        }
        if (all(value, JsonNode::isObject)) {
            ObjectNode out = NODES.objectNode();
            value.forEach(element -> out.setAll((ObjectNode) element));
            return out;
        }
        throw new IllegalArgumentException("expected an array of arrays, of strings or of objects, not a mix");
    }

    private static boolean all(JsonNode array, java.util.function.Predicate<JsonNode> test) {
        for (JsonNode element : array) {
            if (!test.test(element)) {
                return false;
            }
        }
        return true;
    }
}
