package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a handler's answer is rewritten before the engine reads it: Hasura's
 * {@code response_transform}, {@code body: {action: transform, template}} (version 1: the template
 * itself), with {@code $body} (the answer), {@code $request} and {@code $response.status} in scope.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResponseTransform(
        @JsonProperty("version") Integer version,
        @JsonProperty("template_engine") String templateEngine,
        @JsonProperty("body") BodyTransform body) {

    @JsonCreator
    public ResponseTransform {
        RequestTransform.checkVersion(version);
        RequestTransform.checkEngine(templateEngine);
    }
}
