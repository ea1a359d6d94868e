package io.joinery.proxy.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.joinery.proxy.error.ErrorCode;
import io.joinery.proxy.error.JoineryException;
import io.joinery.proxy.response.ResponseWriter;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The answers Helidon gives before routing (a body over the limit, a header with a control
 * character, a malformed request line, too many concurrent requests): JSON in the listener's error
 * shape instead of an empty or HTML body. Helidon's own message is not repeated, since it may quote
 * the offending bytes; the message says what was wrong in our words. The connection is closed after
 * the answer, as the rest of the request cannot be trusted.
 */
public final class TransportErrors {

    private TransportErrors() {
    }

    /** For the GraphQL listener: Hasura's shape, {@code {"errors":[{"message","extensions":{"path","code"}}]}}. */
    public static DirectHandlers graphql(long maxRequestBytes) {
        return handlers(maxRequestBytes, (code, message) -> ResponseWriter.error(new JoineryException(code, message), false));
    }

    /** For the admin listener: the admin API's shape, {@code {"code","message"}}. */
    public static DirectHandlers admin(long maxRequestBytes) {
        return handlers(maxRequestBytes, (code, message) -> {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("code", code.code());
            body.put("message", message);
            return GraphqlEndpoint.json(body);
        });
    }

    private static DirectHandlers handlers(long maxRequestBytes, BiFunction<ErrorCode, String, String> shape) {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            builder.addHandler(type, handler(maxRequestBytes, shape));
        }
        return builder.build();
    }

    private static DirectHandler handler(long maxRequestBytes, BiFunction<ErrorCode, String, String> shape) {
        return (request, type, status, headers, message) -> {
            ErrorCode code = status.code() >= 500 ? ErrorCode.UNEXPECTED : ErrorCode.BAD_REQUEST;
            byte[] body = shape.apply(code, message(type, status, maxRequestBytes)).getBytes(StandardCharsets.UTF_8);
            ServerResponseHeaders answer = ServerResponseHeaders.create(headers);
            answer.set(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
            return DirectHandler.TransportResponse.builder()
                    .status(status)
                    .headers(answer)
                    .entity(body)
                    .keepAlive(false)
                    .build();
        };
    }

    static String message(DirectHandler.EventType type, Status status, long maxRequestBytes) {
        if (status.code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code()) {
            // Helidon reports a body over the limit as a BAD_REQUEST event with this status
            return "the request body is larger than the limit of " + maxRequestBytes + " bytes";
        }
        return switch (type) {
            case PAYLOAD_TOO_LARGE -> "the request body is larger than the limit of " + maxRequestBytes + " bytes";
            case BAD_REQUEST -> "the request is not valid HTTP (a control character in a header, a malformed request line or"
                    + " an invalid body framing)";
            case HTTP_VERSION_NOT_SUPPORTED -> "this HTTP version is not supported; use HTTP/1.1";
            case FORBIDDEN -> "the request is forbidden";
            case INTERNAL_ERROR -> "the request failed unexpectedly";
            case OTHER -> status.code() == Status.SERVICE_UNAVAILABLE_503.code()
                    ? "too many concurrent requests; try again" : "the request failed: " + status.reasonPhrase();
        };
    }
}
