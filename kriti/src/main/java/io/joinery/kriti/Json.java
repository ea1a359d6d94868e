package io.joinery.kriti;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.LongNode;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * JSON values as Kriti sees them: numbers compare by value ({@code 1 == 1.0}), values of different
 * types order as Aeson orders them (object, array, string, number, boolean, null), and a value
 * inside a string is its JSON text.
 */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** A number as written in a template: an integer stays an integer, {@code 1.0} keeps its decimals. */
    static JsonNode literal(String text, BigDecimal number) {
        boolean integral = text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
        if (integral) {
            return integer(number.toBigIntegerExact());
        }
        return DecimalNode.valueOf(number.scale() < 0 ? number.setScale(0) : number);
    }

    /** A computed number: an integer when it is one, else its shortest decimal. */
    static JsonNode number(BigDecimal number) {
        if (number.signum() == 0) {
            return IntNode.valueOf(0);
        }
        BigDecimal stripped = number.stripTrailingZeros();
        return stripped.scale() <= 0 ? integer(stripped.toBigIntegerExact()) : DecimalNode.valueOf(stripped);
    }

    static JsonNode integer(BigInteger value) {
        if (value.bitLength() < 32) {
            return IntNode.valueOf(value.intValue());
        }
        return value.bitLength() < 64 ? LongNode.valueOf(value.longValue()) : BigIntegerNode.valueOf(value);
    }

    static String typeName(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT, POJO -> "an object";
            case ARRAY -> "an array";
            case STRING, BINARY -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
        };
    }

    /** The text a value contributes to a string: a string as it is, anything else as JSON. */
    static String text(JsonNode value) {
        if (value.isTextual()) {
            return value.textValue();
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean equal(JsonNode left, JsonNode right) {
        if (left.isNumber() && right.isNumber()) {
            return left.decimalValue().compareTo(right.decimalValue()) == 0;
        }
        if (left.getNodeType() != right.getNodeType()) {
            return false;
        }
        if (left.isArray()) {
            if (left.size() != right.size()) {
                return false;
            }
            for (int i = 0; i < left.size(); i++) {
                if (!equal(left.get(i), right.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (left.isObject()) {
            if (left.size() != right.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> entry : left.properties()) {
                JsonNode other = right.get(entry.getKey());
                if (other == null || !equal(entry.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return left.equals(right);
    }

    static int compare(JsonNode left, JsonNode right) {
        int rank = Integer.compare(rank(left), rank(right));
        if (rank != 0) {
            return rank;
        }
        return switch (left.getNodeType()) {
            case NUMBER -> left.decimalValue().compareTo(right.decimalValue());
            case STRING -> left.textValue().compareTo(right.textValue());
            case BOOLEAN -> Boolean.compare(left.booleanValue(), right.booleanValue());
            case ARRAY -> compareSequences(elements(left), elements(right));
            case OBJECT -> compareSequences(sortedPairs(left), sortedPairs(right));
            default -> 0;
        };
    }

    private static int rank(JsonNode value) {
        JsonNodeType type = value.getNodeType();
        return switch (type) {
            case OBJECT, POJO -> 0;
            case ARRAY -> 1;
            case STRING, BINARY -> 2;
            case NUMBER -> 3;
            case BOOLEAN -> 4;
            case NULL, MISSING -> 5;
        };
    }

    private static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> elements = new ArrayList<>(array.size());
        array.forEach(elements::add);
        return elements;
    }

    /** An object as [key, value] pairs in key order, so that objects compare like sorted maps. */
    private static List<JsonNode> sortedPairs(JsonNode object) {
        List<JsonNode> pairs = new ArrayList<>();
        object.properties().stream().sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .forEach(entry -> pairs.add(MAPPER.createArrayNode().add(entry.getKey()).add(entry.getValue())));
        return pairs;
    }

    private static int compareSequences(List<JsonNode> left, List<JsonNode> right) {
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            int c = compare(left.get(i), right.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(left.size(), right.size());
    }
}
