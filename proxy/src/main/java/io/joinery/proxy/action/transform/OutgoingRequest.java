package io.joinery.proxy.action.transform;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request to send a handler: its method, URL (query string included), every header to send
 * ({@code Content-Type} included when there is one) and the body, or null for none.
 */
public record OutgoingRequest(String method, URI url, Map<String, String> headers, byte[] body) {

    public OutgoingRequest {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** The value of header {@code name}, in any case, or null. */
    public String header(String name) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }
}
