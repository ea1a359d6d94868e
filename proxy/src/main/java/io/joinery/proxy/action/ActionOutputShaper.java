package io.joinery.proxy.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import graphql.language.FieldDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import io.joinery.proxy.plan.ActionSelection;
import io.joinery.proxy.schema.ActionsModel;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Shapes a handler's 2xx answer to the action's output type and the client's selection, as Hasura
 * does: an object type's non-null fields must be in the answer and not null ({@code field "id"
 * expected in webhook response, but not found}), a list where the type says so, an object where it
 * says so; fields the client did not select are dropped (fields the type does not have included:
 * Joinery ignores them, where Hasura refuses them). Scalars are coerced as Postgres reads them from
 * JSON, which is what Hasura answers through ({@code jsonb_to_record}): a number or a numeric string
 * for {@code Int} and {@code Float}, {@code true}/{@code false} (also as text) for {@code Boolean},
 * any JSON as its text for {@code String} and {@code ID}; custom and Postgres scalars and enums pass
 * as they are. A table relationship's key fields go under phantom aliases for the join stage.
 */
final class ActionOutputShaper {

    private static final Set<String> TRUE = Set.of("true", "t", "yes", "y", "on", "1");
    private static final Set<String> FALSE = Set.of("false", "f", "no", "n", "off", "0");

    private final ActionsModel types;

    ActionOutputShaper(ActionsModel types) {
        this.types = types;
    }

    /** The answer of a root field of output type {@code output}; throws {@link ActionFailure} with code {@code unexpected}. */
    JsonNode shape(JsonNode answer, Type<?> output, List<ActionSelection> selection) {
        Type<?> nullable = output instanceof NonNullType nonNull ? nonNull.getType() : output;
        if (nullable instanceof ListType && answer.isObject()) {
            throw fail("expecting array for action webhook response but got object");
        }
        if (!(nullable instanceof ListType) && answer.isArray() && objectType(output) != null) {
            throw fail("expecting object for action webhook response but got array");
        }
        return value(answer, output, selection, null);
    }

    private JsonNode value(JsonNode value, Type<?> type, List<ActionSelection> selection, String field) {
        if (type instanceof NonNullType nonNull) {
            if (value == null || value.isNull() || value.isMissingNode()) {
                throw fail(field == null ? "expecting not null value for action webhook response" : "expecting not null value for field \"" + field + "\"");
            }
            return value(value, nonNull.getType(), selection, field);
        }
        if (value == null || value.isNull() || value.isMissingNode()) {
            return NullNode.getInstance();
        }
        if (type instanceof ListType list) {
            if (!value.isArray()) {
                throw fail("expecting a list for " + where(field) + ", got " + kind(value));
            }
            ArrayNode out = JsonNodeFactory.instance.arrayNode(value.size());
            value.forEach(item -> out.add(value(item, list.getType(), selection, field)));
            return out;
        }
        String name = ((TypeName) type).getName();
        ObjectTypeDefinition object = objectType(type);
        if (object != null) {
            if (!value.isObject()) {
                throw fail("expecting an object for " + where(field) + ", got " + kind(value));
            }
            return object((ObjectNode) value, object, selection);
        }
        return scalar(value, name, field);
    }

    private ObjectNode object(ObjectNode value, ObjectTypeDefinition type, List<ActionSelection> selection) {
        for (FieldDefinition definition : type.getFieldDefinitions()) {
            if (definition.getType() instanceof NonNullType) {
                JsonNode present = value.get(definition.getName());
                if (present == null) {
                    throw fail("field \"" + definition.getName() + "\" expected in webhook response, but not found");
                }
                if (present.isNull()) {
                    throw fail("expecting not null value for field \"" + definition.getName() + "\"");
                }
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (ActionSelection selected : selection) {
            switch (selected) {
                case ActionSelection.Typename typename -> out.put(typename.key(), typename.typeName());
                case ActionSelection.Value field -> out.set(field.key(), value(value.get(field.field()), field.type(), field.fields(), field.field()));
                case ActionSelection.Join join -> {
                    out.putNull(join.key());
                    for (int i = 0; i < join.keyFields().size(); i++) {
                        JsonNode key = value.get(join.keyFields().get(i));
                        out.set(join.keyAliases().get(i), key == null ? NullNode.getInstance() : key);
                    }
                }
            }
        }
        return out;
    }

    private static JsonNode scalar(JsonNode value, String type, String field) {
        return switch (type) {
            case "Int" -> {
                BigDecimal number = number(value, type, field);
                try {
                    yield IntNode.valueOf(number.intValueExact());
                } catch (ArithmeticException e) {
                    throw fail("expecting Int for " + where(field) + ", got " + value);
                }
            }
            case "Float" -> DoubleNode.valueOf(number(value, type, field).doubleValue());
            case "Boolean" -> {
                String text = value.isBoolean() || value.isNumber() || value.isTextual() ? value.asText().toLowerCase(Locale.ROOT).trim() : "";
                if (TRUE.contains(text)) {
                    yield BooleanNode.TRUE;
                }
                if (FALSE.contains(text)) {
                    yield BooleanNode.FALSE;
                }
                throw fail("expecting Boolean for " + where(field) + ", got " + value);
            }
            case "String", "ID" -> value.isTextual() ? value : TextNode.valueOf(value.isValueNode() ? value.asText() : value.toString());
            default -> value;
        };
    }

    private static BigDecimal number(JsonNode value, String type, String field) {
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isTextual()) {
            try {
                return new BigDecimal(value.textValue().trim());
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw fail("expecting " + type + " for " + where(field) + ", got " + value);
    }

    private ObjectTypeDefinition objectType(Type<?> type) {
        Type<?> named = type;
        while (!(named instanceof TypeName)) {
            named = named instanceof NonNullType nonNull ? nonNull.getType() : ((ListType) named).getType();
        }
        TypeDefinition<?> definition = types.types().get(((TypeName) named).getName());
        return definition instanceof ObjectTypeDefinition object ? object : null;
    }

    private static String where(String field) {
        return field == null ? "action webhook response" : "field \"" + field + "\"";
    }

    private static String kind(JsonNode value) {
        return value.isObject() ? "an object" : value.isArray() ? "an array" : value.toString();
    }

    private static ActionFailure fail(String message) {
        return ActionFailure.unexpected(message, null);
    }
}
