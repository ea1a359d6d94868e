package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.function.Function;

/**
 * A configuration value written either as a literal string or as {@code {from_env: NAME}}, so
 * secrets such as database URLs stay out of the metadata document.
 */
public record ValueFrom(String value, String fromEnv) {

    public ValueFrom {
        if ((value == null) == (fromEnv == null)) {
            throw new MetadataException("a value is either a string or {from_env: NAME}");
        }
    }

    @JsonCreator
    static ValueFrom parse(JsonNode node) {
        if (node.isTextual()) {
            return new ValueFrom(node.textValue(), null);
        }
        if (node.isObject() && node.size() == 1 && node.path("from_env").isTextual()) {
            return new ValueFrom(null, node.path("from_env").textValue());
        }
        throw new MetadataException("expected a string or {from_env: NAME}, got " + node);
    }

    @JsonValue
    Object json() {
        return value != null ? value : Map.of("from_env", fromEnv);
    }

    /** The value now, reading the environment through {@code env}; fails when the variable is unset. */
    public String resolve(Function<String, String> env) {
        if (value != null) {
            return value;
        }
        String resolved = env.apply(fromEnv);
        if (resolved == null || resolved.isEmpty()) {
            throw new MetadataException("environment variable " + fromEnv + " is not set");
        }
        return resolved;
    }
}
