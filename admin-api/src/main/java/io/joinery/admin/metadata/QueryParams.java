package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The query string a request transform sets, in Hasura's two shapes: {@code {name: template}} (each
 * name and value a string template; a null value is a parameter without {@code =value}; a name or
 * value that renders as {@code null} leaves the parameter out), or one string template rendering the
 * whole query string ({@code "a={{$body.input.a}}&b=2"}).
 */
public record QueryParams(Map<String, String> params, String template) {

    public QueryParams {
        if ((params == null) == (template == null)) {
            throw new MetadataException("query_params is {name: template} or one template of the whole query string");
        }
        params = params == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    @JsonCreator
    static QueryParams parse(JsonNode node) {
        if (node.isTextual()) {
            return new QueryParams(null, node.textValue());
        }
        if (!node.isObject()) {
            throw new MetadataException("query_params is {name: template} or one template of the whole query string, not " + node);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode value = entry.getValue();
            if (!value.isTextual() && !value.isNull()) {
                throw new MetadataException("query_params: the value of '" + entry.getKey() + "' is a template (a string) or null, not " + value);
            }
            params.put(entry.getKey(), value.isNull() ? null : value.textValue());
        }
        return new QueryParams(params, null);
    }

    @JsonValue
    Object json() {
        return params != null ? params : template;
    }
}
