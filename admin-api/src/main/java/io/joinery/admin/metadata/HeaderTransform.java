package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request transform's {@code request_headers}, as in Hasura: the headers removed (names, in any
 * case), then the headers added or replaced, each value a string template.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record HeaderTransform(
        @JsonProperty("add_headers") Map<String, String> addHeaders,
        @JsonProperty("remove_headers") List<String> removeHeaders) {

    @JsonCreator
    public HeaderTransform {
        addHeaders = addHeaders == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(addHeaders));
        addHeaders.forEach((name, value) -> {
            if (value == null) {
                throw new MetadataException("add_headers: header '" + name + "' needs a value (a template)");
            }
        });
        if (removeHeaders != null && removeHeaders.stream().anyMatch(Objects::isNull)) {
            throw new MetadataException("remove_headers is a list of header names");
        }
        removeHeaders = removeHeaders == null ? List.of() : List.copyOf(removeHeaders);
    }
}
