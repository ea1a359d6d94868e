package io.joinery.proxy.engine;

import java.util.Map;

/** One GraphQL operation request: {@code {"query", "operationName", "variables"}}. */
public record GraphqlRequest(String query, String operationName, Map<String, Object> variables) {

    public GraphqlRequest {
        variables = variables == null ? Map.of() : variables;
    }
}
