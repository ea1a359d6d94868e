package io.joinery.proxy.action.transform;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request Hasura sends an action's handler by default, before any transform: {@code POST} to
 * the handler's URL with a JSON body, {@code payload} = {@code {action: {name}, input,
 * session_variables, request_query}}, and {@code headers} (the action's and the forwarded ones;
 * {@code Content-Type: application/json} is implied).
 */
public record DefaultRequest(URI url, Map<String, String> headers, ObjectNode payload) {

    public DefaultRequest {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }
}
