package io.joinery.proxy.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.joinery.policies.Session;
import io.joinery.proxy.action.transform.ActionTransforms;
import io.joinery.proxy.action.transform.DefaultRequest;
import io.joinery.proxy.action.transform.OutgoingRequest;
import io.joinery.proxy.action.transform.TransformException;
import io.joinery.proxy.schema.ActionModel;
import io.joinery.telemetry.ClientCall;
import io.joinery.telemetry.SpanNames;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one place where an action's handler is called: it builds the request Hasura sends by default —
 * {@code POST} to the handler URL, {@code {action: {name}, input, session_variables, request_query}},
 * the action's headers over the client's forwarded ones — sends it, and reads the answer: a 2xx
 * body is the action's JSON answer; a 4xx {@code {message, code?, extensions?}} is the handler's
 * refusal, reported as Hasura reports it; anything else is a failure of the action's field alone.
 *
 * <p>Note [One place for the handler request]: Hasura's request and response transforms rewrite
 * exactly what {@link #request} builds and what {@link #answer} reads; they apply here and nowhere else.
 */
public final class ActionHandlerCall {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Client headers that are not forwarded, as in Hasura ({@code commonClientHeadersIgnored}): those
     * about the client's own connection and content, plus the session's headers (the session
     * variables travel in the payload), the admin secret and the client's trace context (the call
     * carries its own).
     */
    private static final Set<String> NOT_FORWARDED = Set.of("content-length", "content-md5", "user-agent", "host", "origin",
            "referer", "accept", "accept-encoding", "accept-language", "accept-datetime", "cache-control", "connection", "dnt",
            "content-type", "transfer-encoding", "keep-alive", "upgrade", "te", "trailer", "x-joinery-admin-secret",
            "traceparent", "tracestate", "baggage");

    private final ActionClient client;

    ActionHandlerCall(ActionClient client) {
        this.client = client;
    }

    /** What a handler receives by default: where, with which headers, and the payload (sent as JSON). */
    record HandlerRequest(URI url, Map<String, String> headers, ObjectNode payload) {
    }

    /**
     * Calls the handler of {@code action} and returns its 2xx answer; throws {@link ActionFailure} and
     * nothing else. The default request goes through the action's {@code transforms} (compiled with
     * the engine's state; {@link ActionTransforms#NONE} sends it as it is), and so does the answer.
     */
    JsonNode call(ActionModel action, ActionTransforms transforms, JsonNode input, Session session, Map<String, String> clientHeaders,
                  String query, ClientCall span) {
        HandlerRequest request = request(action, input, session, clientHeaders, query);
        DefaultRequest original = new DefaultRequest(request.url(), request.headers(), request.payload());
        OutgoingRequest sent = transformed(action, () -> transforms.request(original), "request");
        Map<String, String> headers = new LinkedHashMap<>(sent.headers());
        span.injectTraceHeaders(headers::put);
        ActionClient.Answer answer;
        try {
            answer = client.send(sent.method(), sent.url(), headers, sent.body(), action.timeout(), span);
        } catch (ActionClient.Unanswered e) {
            span.failed(e.timedOut ? "timeout" : "unreachable", e.getMessage());
            throw ActionFailure.unexpected("action '" + action.name() + "': the handler " + e.getMessage(), where(sent.method(), sent.url()));
        }
        if (transforms.transformsResponse()) {
            ActionClient.Answer received = answer;
            answer = new ActionClient.Answer(received.status(),
                    transformed(action, () -> transforms.response(original, received.status(), received.body()), "response"));
        }
        return answer(action, sent.method(), sent.url(), answer);
    }

    /** A transform's result; one that fails fails the action's field, with the template and its position for admins (Hasura: 500). */
    private static <T> T transformed(ActionModel action, Supplier<T> transform, String which) {
        try {
            return transform.get();
        } catch (TransformException e) {
            throw ActionFailure.unexpected("action '" + action.name() + "': the " + which + " transform failed", e.getMessage());
        }
    }

    /** The default request, Hasura's. */
    static HandlerRequest request(ActionModel action, JsonNode input, Session session, Map<String, String> clientHeaders, String query) {
        URI url = url(action);
        ObjectNode payload = JSON.createObjectNode();
        payload.putObject("action").put("name", action.name());
        payload.set("input", input);
        ObjectNode variables = payload.putObject("session_variables");
        session.variables().forEach(variables::put);
        variables.put(Session.ROLE, session.role());
        payload.put("request_query", query);
        Map<String, String> headers = new LinkedHashMap<>();
        if (action.forwardClientHeaders()) {
            forwarded(clientHeaders, headers);
        }
        action.headers().forEach((name, setting) -> {
            headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
            headers.put(name, value(action, setting, "header " + name));
        });
        return new HandlerRequest(url, headers, payload);
    }

    /** The client's headers as Hasura forwards them: less {@link #NOT_FORWARDED} and the session's, plus {@code X-Forwarded-*}. */
    static void forwarded(Map<String, String> clientHeaders, Map<String, String> out) {
        clientHeaders.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(lower) && !lower.startsWith(Session.PREFIX)) {
                out.put(name, value);
            }
        });
        clientHeaders.forEach((name, value) -> {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "host" -> out.put("X-Forwarded-Host", value);
                case "user-agent" -> out.put("X-Forwarded-User-Agent", value);
                default -> {
                }
            }
        });
    }

    private static URI url(ActionModel action) {
        String value = value(action, action.handler(), "handler");
        try {
            URI url = URI.create(value);
            if (url.getHost() != null && ("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                return url;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ActionFailure.unexpected("action '" + action.name() + "': the handler URL is not an absolute http(s) URL", value);
    }

    private static String value(ActionModel action, ActionModel.Setting setting, String what) {
        if (setting.value() != null) {
            return setting.value();
        }
        throw ActionFailure.unexpected("action '" + action.name() + "': its " + what + " is not configured",
                "environment variable " + setting.unsetVariable() + " is not set");
    }

    /** The handler's answer: the JSON of a 2xx; a 4xx refusal or any other status as an {@link ActionFailure}. */
    private static JsonNode answer(ActionModel action, String method, URI url, ActionClient.Answer answer) {
        String name = "action '" + action.name() + "'";
        String internal = where(method, url) + " answered HTTP " + answer.status();
        JsonNode body;
        try {
            body = JSON.readTree(answer.body());
        } catch (IOException e) {
            body = null;
        }
        int status = answer.status();
        if (status >= 200 && status < 300) {
            if (body == null || body.isMissingNode()) {
                throw ActionFailure.unexpected(name + ": the handler answered HTTP " + status + " with a body that is not JSON",
                        internal + ": " + excerpt(answer.body()));
            }
            return body;
        }
        if (status >= 400 && status < 500) {
            if (body == null || !body.path("message").isTextual()) {
                throw ActionFailure.unexpected(name + ": the handler answered HTTP " + status + " without an error message",
                        internal + ": " + excerpt(answer.body()));
            }
            JsonNode code = body.path("code");
            JsonNode extensions = body.get("extensions");
            throw new ActionFailure(body.path("message").textValue(), code.isTextual() ? code.textValue() : ActionFailure.UNEXPECTED,
                    extensions == null || extensions.isNull() ? null : extensions, internal);
        }
        throw ActionFailure.unexpected(name + ": the handler failed (HTTP " + status + ")", internal + ": " + excerpt(answer.body()));
    }

    /** The first bytes of a body, for admins. */
    private static String excerpt(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        return body.length > 200 ? text + "…" : text;
    }

    /** {@code POST scheme://host:port/path}: the URL without credentials or query, for admins and logs. */
    static String where(String method, URI url) {
        return method + " " + url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "")
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /**
     * The attributes of a call's span (semantic conventions), as a remote call's: {@code method} is the
     * call's (POST, or a request transform's); the URL is the handler's, before a transform's template.
     */
    static Map<String, Object> spanAttributes(ActionModel action, String method) {
        URI url;
        try {
            url = url(action);
        } catch (ActionFailure e) {
            return Map.of(SpanNames.HTTP_METHOD, method, SpanNames.ACTION, action.name());
        }
        int port = url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        return Map.of(SpanNames.HTTP_METHOD, method,
                SpanNames.URL_FULL, url.getScheme() + "://" + url.getHost() + ":" + port + (url.getRawPath() == null ? "" : url.getRawPath()),
                SpanNames.SERVER_ADDRESS, url.getHost(),
                SpanNames.SERVER_PORT, port,
                SpanNames.ACTION, action.name());
    }
}
