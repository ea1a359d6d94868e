package io.joinery.proxy.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.config.Config;

/**
 * A node of the configuration file as JSON, for settings whose value is a document (the JWT
 * secret written as YAML under {@code proxy.jwt-secret}). Numbers and booleans come out as
 * strings, as the file's parser gives them; the JWT configuration reads both.
 */
final class FileJson {

    private FileJson() {
    }

    static JsonNode of(Config node) {
        return switch (node.type()) {
            case OBJECT -> {
                ObjectNode object = JsonNodeFactory.instance.objectNode();
                node.asNodeList().orElse(java.util.List.of()).forEach(child -> object.set(child.name(), of(child)));
                yield object;
            }
            case LIST -> {
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                node.asNodeList().orElse(java.util.List.of()).forEach(child -> array.add(of(child)));
                yield array;
            }
            case VALUE -> JsonNodeFactory.instance.textNode(node.asString().orElse(""));
            case MISSING -> JsonNodeFactory.instance.nullNode();
        };
    }
}
