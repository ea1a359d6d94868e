package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a transform does to a body, in Hasura's shape: {@code {action: transform, template}} (a Kriti
 * template whose value is the new JSON body), {@code {action: remove}} (no body), or
 * {@code {action: x_www_form_urlencoded, form_template: {field: template}}} (a form, each value a
 * string template). A bare string is Hasura's version-1 form of {@code {action: transform, template}}.
 */
public record BodyTransform(String action, String template, Map<String, String> formTemplate) {

    public static final String TRANSFORM = "transform";
    public static final String REMOVE = "remove";
    public static final String FORM = "x_www_form_urlencoded";

    public BodyTransform {
        if (action == null) {
            throw new MetadataException("a body transform needs an action: transform, remove or x_www_form_urlencoded");
        }
        switch (action) {
            case TRANSFORM -> {
                if (template == null) {
                    throw new MetadataException("a body transform with action transform needs a template");
                }
            }
            case REMOVE -> {
            }
            case FORM -> {
                if (formTemplate == null) {
                    throw new MetadataException("a body transform with action x_www_form_urlencoded needs a form_template");
                }
            }
            default -> throw new MetadataException("a body transform's action is transform, remove or x_www_form_urlencoded, not '"
                    + action + "'");
        }
        formTemplate = formTemplate == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(formTemplate));
        formTemplate.forEach((field, value) -> {
            if (value == null) {
                throw new MetadataException("form_template: field '" + field + "' needs a template (a string)");
            }
        });
    }

    @JsonCreator
    static BodyTransform parse(JsonNode node) {
        if (node.isTextual()) {
            return new BodyTransform(TRANSFORM, node.textValue(), null);
        }
        if (!node.isObject()) {
            throw new MetadataException("expected a body transform {action, template | form_template} or a template (a string), got " + node);
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!key.equals("action") && !key.equals("template") && !key.equals("form_template")) {
                throw new MetadataException("unknown key '" + key + "' of a body transform (known keys: action, form_template, template)");
            }
        });
        Map<String, String> form = null;
        if (node.has("form_template")) {
            if (!node.get("form_template").isObject()) {
                throw new MetadataException("form_template is {field: template}, not " + node.get("form_template"));
            }
            form = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : node.get("form_template").properties()) {
                form.put(entry.getKey(), entry.getValue().isTextual() ? entry.getValue().textValue() : null);
            }
        }
        return new BodyTransform(text(node, "action"), text(node, "template"), form);
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new MetadataException(key + " of a body transform is a string, not " + value);
        }
        return value.textValue();
    }

    @JsonValue
    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("action", action);
        if (template != null) {
            json.put("template", template);
        }
        if (action.equals(FORM)) {
            json.put("form_template", formTemplate);
        }
        return json;
    }
}
