package io.joinery.proxy.join;

import io.joinery.policies.Session;
import io.joinery.proxy.remote.RemoteSchema;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The headers of a request to a remote: the session's variables always, the client's own headers when the remote forwards them. */
final class RemoteHeaders {

    /**
     * Headers of the client's request that are about its own connection or would give away the admin secret, and
     * its trace context: the call carries its own (a child of the request's span), see {@code RemoteClient.post}.
     */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "content-type", "connection",
            "transfer-encoding", "accept", "accept-encoding", "keep-alive", "upgrade", "te", "trailer",
            "x-joinery-admin-secret", "traceparent", "tracestate", "baggage");

    private RemoteHeaders() {
    }

    static Map<String, String> of(RemoteSchema remote, Map<String, String> clientHeaders, Session session) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (remote.config().forwardClientHeaders()) {
            clientHeaders.forEach((name, value) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    headers.put(name, value);
                }
            });
        }
        headers.putAll(session.variables());
        return headers;
    }
}
