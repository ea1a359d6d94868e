package io.joinery.admin.hasura;

import io.joinery.policies.Session;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Locale;

/**
 * Renames Hasura's session variables to Joinery's. Hasura treats any string value starting with
 * {@code x-hasura-}, in any case, as a session variable; Joinery's are {@code x-joinery-*} in lower
 * case, so {@code X-Hasura-User-Id} becomes {@code x-joinery-user-id}. Only values are renamed:
 * keys are column names and operators.
 */
final class SessionVariables {

    private static final String HASURA = "x-hasura-";

    private SessionVariables() {
    }

    static boolean isHasura(String text) {
        return text.regionMatches(true, 0, HASURA, 0, HASURA.length());
    }

    static String rename(String text) {
        return isHasura(text) ? Session.PREFIX + text.substring(HASURA.length()).toLowerCase(Locale.ROOT) : text;
    }

    /** A copy of {@code node} with every session variable renamed; null stays null. */
    static JsonNode rename(JsonNode node) {
        if (node == null) {
            return null;
        }
        return switch (node) {
            case TextNode text -> TextNode.valueOf(rename(text.textValue()));
            case ObjectNode object -> {
                ObjectNode copy = JsonNodeFactory.instance.objectNode();
                object.properties().forEach(field -> copy.set(field.getKey(), rename(field.getValue())));
                yield copy;
            }
            case ArrayNode array -> {
                ArrayNode copy = JsonNodeFactory.instance.arrayNode();
                array.forEach(item -> copy.add(rename(item)));
                yield copy;
            }
            default -> node.deepCopy();
        };
    }
}
