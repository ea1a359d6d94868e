package io.joinery.admin.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.joinery.admin.metadata.MetadataException;
import io.joinery.admin.store.MetadataStoreException;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The one place the admin listener's answers are written: a handler's {@link Reply}, or what it
 * threw as the error shape {@code {"code", "message", ...}} with a stable code (an {@link AdminError}
 * as it says; the store out of reach 503 {@code store-unavailable}; a document that does not read
 * 400 {@code invalid-metadata}; anything else 500 {@code unexpected}, its details only in the log).
 */
public final class Replies {

    private static final System.Logger LOG = System.getLogger(Replies.class.getName());

    private Replies() {
    }

    /** A Helidon handler answering what {@code action} returns, or the error it throws. */
    static Handler handler(Function<ServerRequest, Reply> action) {
        return (request, response) -> send(response, reply(action, request));
    }

    /** Writes an error in the admin API's shape, for the routes that are not the admin API's own (reload, health). */
    public static void sendError(ServerResponse response, Status status, String code, String message) {
        send(response, error(new AdminError(status, code, message)));
    }

    /** Writes {@code reply}: status, {@code Content-Type}, {@code ETag} if it names a version, the body. */
    public static void send(ServerResponse response, Reply reply) {
        response.status(reply.status());
        response.header(HeaderNames.CONTENT_TYPE, reply.type().text());
        if (reply.etag() != null) {
            response.header(HeaderNames.ETAG, reply.etag());
        }
        response.send(reply.body() instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : Bodies.json(reply.body()));
    }

    static Reply error(AdminError e) {
        return Reply.json(e.status(), e.body(), e.etag());
    }

    private static Reply reply(Function<ServerRequest, Reply> action, ServerRequest request) {
        try {
            return action.apply(request);
        } catch (AdminError e) {
            return error(e);
        } catch (MetadataStoreException e) {
            LOG.log(Level.WARNING, "admin request failed: " + e.getMessage(), e);
            return error(new AdminError(Status.SERVICE_UNAVAILABLE_503, "store-unavailable", "the metadata store cannot be reached; try again"));
        } catch (MetadataException e) {
            return error(AdminError.invalidMetadata(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "admin request failed", e);
            return error(new AdminError(Status.INTERNAL_SERVER_ERROR_500, "unexpected", "unexpected error; the sidecar's log has the details"));
        }
    }
}
