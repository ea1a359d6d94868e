package io.joinery.proxy.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.joinery.proxy.plan.RemoteRenames;
import io.joinery.proxy.remote.RemoteSchema;

/**
 * A remote's answer as the client sees the remote's types: its {@code __typename}s back under their
 * aliases and renamed. See Note [Customized remote type names].
 */
final class AnswerRenames {

    private AnswerRenames() {
    }

    static JsonNode renamed(RemoteSchema remote, JsonNode value) {
        if (remote == null || !RemoteRenames.renames(remote.config()) || value == null) {
            return value;
        }
        if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, renamed(remote, array.get(i)));
            }
            return array;
        }
        if (!(value instanceof ObjectNode object)) {
            return value;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        object.properties().forEach(entry -> {
            String key = entry.getKey();
            if (key.startsWith(RemoteRenames.TYPENAME_ALIAS)) {
                JsonNode typeName = entry.getValue();
                out.set(key.substring(RemoteRenames.TYPENAME_ALIAS.length()), typeName.isTextual()
                        ? JsonNodeFactory.instance.textNode(remote.config().customization().typeName(typeName.textValue())) : typeName);
            } else {
                out.set(key, renamed(remote, entry.getValue()));
            }
        });
        return out;
    }
}
