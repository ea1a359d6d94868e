package io.joinery.kriti;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function a template calls as {@code name(argument)}: Kriti's functions take one value. A
 * function refuses an argument by throwing {@link IllegalArgumentException}; its message becomes the
 * rendering error, at the call's position.
 */
@FunctionalInterface
public interface KritiFunction {

    JsonNode apply(JsonNode argument);
}
