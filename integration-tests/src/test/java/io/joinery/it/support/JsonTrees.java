package io.joinery.it.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * JSON for the tests: one parser (numbers kept exact, so {@code 9007199254740993} and {@code 1e-300} survive)
 * and a comparison of trees that ignores whitespace and the order of object keys but not the order of array
 * items, and compares numbers by value ({@code 1.50} equals {@code 1.5}, {@code "1.5"} does not).
 */
public final class JsonTrees {

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();
    static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    private JsonTrees() {
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    public static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fails with the first difference (as a path) and both trees when {@code actual} is not {@code expected}. */
    public static void assertJsonEquals(JsonNode expected, JsonNode actual, String context) {
        String difference = difference(expected, actual, "$");
        if (difference != null) {
            fail(context + "\n  first difference: " + difference + "\n  expected: " + write(expected) + "\n  actual:   " + write(actual));
        }
    }

    /** The first difference between two trees, or null when they are equal. */
    public static String difference(JsonNode expected, JsonNode actual, String path) {
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0 ? null
                    : path + ": expected " + expected + " but was " + actual;
        }
        if (expected.getNodeType() != actual.getNodeType()) {
            return path + ": expected " + describe(expected) + " but was " + describe(actual);
        }
        if (expected.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String child = path + "." + name;
                if (!expected.has(name)) {
                    return child + ": not expected, but was " + actual.get(name);
                }
                if (!actual.has(name)) {
                    return child + ": missing (expected " + expected.get(name) + ")";
                }
                String difference = difference(expected.get(name), actual.get(name), child);
                if (difference != null) {
                    return difference;
                }
            }
            return null;
        }
        if (expected.isArray()) {
            Iterator<JsonNode> left = expected.elements();
            Iterator<JsonNode> right = actual.elements();
            for (int i = 0; left.hasNext() || right.hasNext(); i++) {
                if (!left.hasNext() || !right.hasNext()) {
                    return path + ": expected " + expected.size() + " items but was " + actual.size();
                }
                String difference = difference(left.next(), right.next(), path + "[" + i + "]");
                if (difference != null) {
                    return difference;
                }
            }
            return null;
        }
        return expected.equals(actual) ? null : path + ": expected " + expected + " but was " + actual;
    }

    private static String describe(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + node;
    }

    /** A JSON object as plain Java maps, lists and values. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(JsonNode object) {
        return JSON.convertValue(object, Map.class);
    }

    /** A tree from plain values, for building expectations in Java. */
    public static JsonNode tree(Map<String, ?> value) {
        return JSON.valueToTree(value);
    }
}
