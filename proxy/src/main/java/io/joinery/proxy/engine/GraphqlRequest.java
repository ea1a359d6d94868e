package io.joinery.proxy.engine;

import java.util.Map;

/**
 * One GraphQL operation request: {@code {"query", "operationName", "variables"}}, and the client's
 * HTTP headers (lower-case names) for remote schemas that forward them.
 */
public record GraphqlRequest(String query, String operationName, Map<String, Object> variables, Map<String, String> headers) {

    public GraphqlRequest {
        variables = variables == null ? Map.of() : variables;
        headers = headers == null ? Map.of() : headers;
    }

    public GraphqlRequest(String query, String operationName, Map<String, Object> variables) {
        this(query, operationName, variables, Map.of());
    }

    /** The same operation with the client's headers. */
    public GraphqlRequest withHeaders(Map<String, String> clientHeaders) {
        return new GraphqlRequest(query, operationName, variables, clientHeaders);
    }
}
