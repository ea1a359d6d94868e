package io.joinery.admin.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.joinery.admin.metadata.Action;
import io.joinery.admin.metadata.CustomType;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.MetadataException;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.RequestTransform;
import io.joinery.admin.metadata.ResponseTransform;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.ValueFrom;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static io.joinery.admin.hasura.TableImport.requiredText;
import static io.joinery.admin.hasura.TableImport.text;
import static io.joinery.admin.hasura.UnmappedCollector.child;
import static io.joinery.admin.hasura.UnmappedCollector.itemName;
import static io.joinery.admin.hasura.UnmappedCollector.meaningful;

/**
 * Converts Hasura's actions and custom types. Each custom type becomes one definition in GraphQL's
 * schema language, written from the export's parts ({@code type OrderResult { order_id: Int!,
 * status: OrderStatus! }}, descriptions as GraphQL descriptions); object types' relationships keep
 * their field mapping as {@code on}. An action's handler is a literal URL or a whole {@code {{NAME}}}
 * template (then {@code {from_env: NAME}}); a handler mixing a template with text has no Joinery
 * form, so the action is listed and left out. Headers are kept literally, as for remote schemas:
 * they are what the handler receives. Request and response transforms are Hasura's own shape in
 * Joinery's metadata too, so they are taken as they are (a transform Joinery cannot read is listed and
 * left out). Hasura's {@code kind: asynchronous} is Joinery's {@code asynchronous: true}.
 */
final class ActionImport {

    private static final Set<String> DEFINITION_KEYS = Set.of("handler", "output_type", "arguments", "type", "kind", "headers",
            "forward_client_headers", "timeout", "request_transform", "response_transform");

    private final UnmappedCollector unmapped;

    ActionImport(UnmappedCollector unmapped) {
        this.unmapped = unmapped;
    }

    // ---- custom types

    /** Hasura's {@code custom_types}: scalars, enums, input objects, then objects, each in export order. */
    List<CustomType> customTypes(JsonNode customTypes) {
        String path = "custom_types";
        List<CustomType> types = new ArrayList<>();
        convertEach(customTypes.path("scalars"), child(path, "scalars"), "custom scalar", this::scalar, types);
        convertEach(customTypes.path("enums"), child(path, "enums"), "custom enum", this::enumType, types);
        convertEach(customTypes.path("input_objects"), child(path, "input_objects"), "custom input type", this::inputObject, types);
        convertEach(customTypes.path("objects"), child(path, "objects"), "custom object type", this::object, types);
        unmapped.rest(customTypes, path, Set.of("scalars", "enums", "input_objects", "objects"));
        return types;
    }

    /** One item of a Hasura list at {@code path[name]}. */
    private record Item(JsonNode node, String path) {
    }

    private void convertEach(JsonNode list, String listPath, String noun, Function<Item, CustomType> convert, List<CustomType> out) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String label = itemName(node, i);
            String path = listPath + "[" + label + "]";
            try {
                out.add(convert.apply(new Item(node, path)));
            } catch (MetadataException e) {
                unmapped.add(path, noun + " '" + label + "'", e.getMessage());
            }
        }
    }

    private CustomType scalar(Item item) {
        unmapped.rest(item.node(), item.path(), Set.of("name", "description"));
        return CustomType.of(description(item.node()) + "scalar " + requiredText(item.node(), "name"));
    }

    private CustomType enumType(Item item) {
        List<String> values = new ArrayList<>();
        JsonNode list = item.node().path("values");
        for (int i = 0; i < list.size(); i++) {
            JsonNode value = list.get(i);
            String name = requiredText(value, "value");
            unmapped.rest(value, child(item.path(), "values") + "[" + name + "]", Set.of("value", "description", "is_deprecated"));
            values.add(description(value) + name + (value.path("is_deprecated").booleanValue() ? " @deprecated" : ""));
        }
        unmapped.rest(item.node(), item.path(), Set.of("name", "description", "values"));
        return CustomType.of(description(item.node()) + "enum " + requiredText(item.node(), "name") + " { " + String.join(" ", values) + " }");
    }

    private CustomType inputObject(Item item) {
        unmapped.rest(item.node(), item.path(), Set.of("name", "description", "fields"));
        return CustomType.of(description(item.node()) + "input " + requiredText(item.node(), "name") + fields(item));
    }

    private CustomType object(Item item) {
        Map<String, Relationship> relationships = new LinkedHashMap<>();
        JsonNode list = item.node().path("relationships");
        String listPath = child(item.path(), "relationships");
        for (int i = 0; i < list.size(); i++) {
            JsonNode relationship = list.get(i);
            String label = itemName(relationship, i);
            String path = listPath + "[" + label + "]";
            try {
                relationships.put(requiredText(relationship, "name"), relationship(relationship));
            } catch (MetadataException e) {
                unmapped.add(path, "relationship '" + label + "'", e.getMessage());
            }
            unmapped.rest(relationship, path, Set.of("name", "type", "remote_table", "field_mapping", "source"));
        }
        unmapped.rest(item.node(), item.path(), Set.of("name", "description", "fields", "relationships"));
        return new CustomType(description(item.node()) + "type " + requiredText(item.node(), "name") + fields(item), relationships);
    }

    /** {@code {type: object | array, remote_table, field_mapping, source}}; Hasura's source {@code default} is Joinery's default. */
    private static Relationship relationship(JsonNode relationship) {
        String type = requiredText(relationship, "type");
        if (!type.equals("object") && !type.equals("array")) {
            throw new MetadataException("a relationship's type is object or array, not " + type);
        }
        String target = TableImport.tableName(relationship.path("remote_table")).toString();
        Map<String, String> on = new LinkedHashMap<>();
        relationship.path("field_mapping").properties().forEach(entry -> {
            if (!entry.getValue().isTextual()) {
                throw new MetadataException("expected field_mapping: {field: column}, got " + relationship.path("field_mapping"));
            }
            on.put(entry.getKey(), entry.getValue().textValue());
        });
        String source = text(relationship.path("source"));
        return new Relationship(type.equals("object") ? target : null, type.equals("array") ? target : null, on,
                Source.DEFAULT.equals(source) ? null : source);
    }

    /** {@code { name: Type, … }} of Hasura's {@code fields: [{name, type, description}]}. */
    private String fields(Item item) {
        List<String> fields = new ArrayList<>();
        JsonNode list = item.node().path("fields");
        for (int i = 0; i < list.size(); i++) {
            JsonNode field = list.get(i);
            String name = requiredText(field, "name");
            unmapped.rest(field, child(item.path(), "fields") + "[" + name + "]", Set.of("name", "type", "description"));
            fields.add(description(field) + name + ": " + requiredText(field, "type"));
        }
        return " { " + String.join(", ", fields) + " }";
    }

    /** A GraphQL description (a string literal; JSON's escapes are GraphQL's) and a space, or nothing. */
    private static String description(JsonNode node) {
        String description = text(node.path("description"));
        return description == null || description.isEmpty() ? "" : TextNode.valueOf(description) + " ";
    }

    // ---- actions

    /** The action, or empty (and listed) when it has no Joinery form. */
    Optional<Action> convert(JsonNode action, int index) {
        String name = itemName(action, index);
        String path = "actions[" + name + "]";
        Optional<Action> converted;
        try {
            converted = Optional.of(action(action, name, path));
        } catch (MetadataException e) {
            unmapped.add(path, "action '" + name + "'", e.getMessage());
            return Optional.empty();
        }
        unmapped.rest(action, path, Set.of("name", "definition", "permissions", "comment"));
        return converted;
    }

    private Action action(JsonNode action, String label, String path) {
        String name = requiredText(action, "name");
        JsonNode definition = action.path("definition");
        String definitionPath = child(path, "definition");
        ValueFrom handler = RemoteSchemaImport.fromTemplate("handler", requiredText(definition, "handler"));
        String output = requiredText(definition, "output_type");
        Map<String, ValueFrom> headers = RemoteSchemaImport.headers(definition.path("headers"));
        RequestTransform request = transform(definition.path("request_transform"), child(definitionPath, "request_transform"),
                "request transform of action '" + label + "'", RequestTransform.class);
        ResponseTransform response = transform(definition.path("response_transform"), child(definitionPath, "response_transform"),
                "response transform of action '" + label + "'", ResponseTransform.class);
        String type = text(definition.path("type"));
        // Hasura reads kind only for a mutation: a query is always synchronous.
        boolean asynchronous = !Action.QUERY.equals(type) && "asynchronous".equals(text(definition.path("kind")));
        Action converted = new Action(name, type, arguments(definition.path("arguments"), definitionPath, label),
                output, handler, headers, definition.path("forward_client_headers").booleanValue(),
                definition.path("timeout").isIntegralNumber() ? definition.path("timeout").intValue() : null,
                roles(action.path("permissions"), child(path, "permissions")), text(action.path("comment")), request, response,
                asynchronous);
        unmapped.rest(definition, definitionPath, DEFINITION_KEYS);
        return converted;
    }

    /**
     * Hasura's transform as it is (Joinery reads the same shape), or null when there is none; one
     * Joinery cannot read is listed, and the action is imported without it.
     */
    private <T> T transform(JsonNode node, String path, String what, Class<T> type) {
        if (!meaningful(node)) {
            return null;
        }
        try {
            return MetadataCodec.convert(node, type);
        } catch (MetadataException e) {
            unmapped.add(path, what, e.getMessage() + "; the action is imported without it");
            return null;
        }
    }

    /** {@code [{name, type, description}]} as name → type, in order. */
    private Map<String, String> arguments(JsonNode list, String definitionPath, String action) {
        Map<String, String> arguments = new LinkedHashMap<>();
        for (JsonNode argument : list) {
            String name = requiredText(argument, "name");
            String path = child(definitionPath, "arguments") + "[" + name + "]";
            if (meaningful(argument.path("description"))) {
                unmapped.add(child(path, "description"), "description of argument '" + name + "' of action '" + action + "'",
                        "Joinery's metadata has no place for descriptions of action arguments");
            }
            unmapped.rest(argument, path, Set.of("name", "type", "description"));
            arguments.put(name, requiredText(argument, "type"));
        }
        return arguments;
    }

    /** The roles of Hasura's {@code permissions: [{role}]}. */
    private List<String> roles(JsonNode list, String listPath) {
        List<String> roles = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode permission = list.get(i);
            String role = requiredText(permission, "role");
            unmapped.rest(permission, listPath + "[" + role + "]", Set.of("role"));
            roles.add(role);
        }
        return roles;
    }
}
