package io.joinery.proxy.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.Type;
import graphql.language.TypeName;
import io.joinery.proxy.schema.ActionsModel;
import io.joinery.proxy.schema.JsonScalars;

import java.util.Map;

/**
 * The default values that custom input types declare ({@code input OrderInput { channel: String =
 * "web" }}), put into an action's input where the client left the field out, at any depth, as
 * GraphQL's input coercion does: the handler receives the value its field means. A field the client
 * set, to null too, keeps its value. Hasura's custom types have no defaults (its metadata cannot
 * declare them), so an imported action's input is unchanged.
 */
final class InputDefaults {

    private static final ObjectMapper JSON = new ObjectMapper();

    private InputDefaults() {
    }

    /** {@code value} of GraphQL type {@code type}, the defaults of its input objects filled in. */
    static JsonNode apply(JsonNode value, Type<?> type, ActionsModel model) {
        return switch (type) {
            case NonNullType nonNull -> apply(value, nonNull.getType(), model);
            case ListType list -> {
                if (!(value instanceof ArrayNode array)) {
                    yield value == null || value.isNull() ? value : apply(value, list.getType(), model); // a single value for a list
                }
                ArrayNode out = JSON.createArrayNode();
                array.forEach(item -> out.add(apply(item, list.getType(), model)));
                yield out;
            }
            case TypeName name -> model.types().get(name.getName()) instanceof InputObjectTypeDefinition input && value instanceof ObjectNode object
                    ? object(object, input, model) : value;
            default -> value;
        };
    }

    private static ObjectNode object(ObjectNode value, InputObjectTypeDefinition type, ActionsModel model) {
        ObjectNode out = value.deepCopy();
        for (InputValueDefinition field : type.getInputValueDefinitions()) {
            JsonNode given = value.get(field.getName());
            if (given != null) {
                out.set(field.getName(), apply(given, field.getType(), model));
            } else if (field.getDefaultValue() != null) {
                out.set(field.getName(), apply(JSON.valueToTree(JsonScalars.literal(field.getDefaultValue(), Map.of())), field.getType(), model));
            }
        }
        return out;
    }
}
