package io.joinery.proxy.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Conversions between Jackson trees and the plain Java values that variables and literals use. */
public final class JsonValues {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonValues() {
    }

    public static Object toJava(JsonNode node) {
        return JSON.convertValue(node, Object.class);
    }

    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be written as JSON", e);
        }
    }
}
