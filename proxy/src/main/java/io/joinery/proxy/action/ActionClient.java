package io.joinery.proxy.action;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.joinery.telemetry.ClientCall;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends action handlers their requests over pooled keep-alive connections (Helidon WebClient, as
 * remote schemas' {@code RemoteClient} does), one client for the sidecar: handlers are plain URLs
 * that metadata versions share. The whole call — connect, send, read — is bounded by the action's
 * timeout; the answer is read no further than {@link #MAX_ANSWER_BYTES}.
 */
final class ActionClient {

    /** The largest answer read from a handler: 32 MB, as for remote schemas by default. */
    static final int MAX_ANSWER_BYTES = 32 << 20;

    static final ActionClient SHARED = new ActionClient();

    private final WebClient client = WebClient.builder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(false)
            .build();
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

    /** A handler's answer: its HTTP status and body. */
    record Answer(int status, byte[] body) {
    }

    /** Raised when the handler did not answer in time, could not be reached, or answered too much. */
    static final class Unanswered extends Exception {
        final boolean timedOut;

        Unanswered(String message, boolean timedOut, Throwable cause) {
            super(message, cause);
            this.timedOut = timedOut;
        }
    }

    Answer post(URI url, Map<String, String> headers, byte[] body, Duration timeout, ClientCall span) throws Unanswered {
        Future<Answer> call = calls.submit(() -> send(url, headers, body, timeout, span));
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new Unanswered("did not answer within " + timeout.toMillis() + " ms", true, e);
        } catch (ExecutionException e) {
            throw new Unanswered(cause(e.getCause()), false, e.getCause());
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new Unanswered("interrupted", false, e);
        }
    }

    private Answer send(URI url, Map<String, String> headers, byte[] body, Duration timeout, ClientCall span) throws IOException {
        var request = client.post(url.toString()).readTimeout(timeout)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.ACCEPT, "application/json");
        headers.forEach((name, value) -> request.header(HeaderNames.create(name), value));
        try (HttpClientResponse response = request.submit(body)) {
            int status = response.status().code();
            span.status(status);
            if (response.headers().contentLength().orElse(0) > MAX_ANSWER_BYTES) {
                throw new IOException("the answer is larger than " + MAX_ANSWER_BYTES + " bytes");
            }
            try (InputStream in = response.entity().inputStream()) {
                byte[] read = in.readNBytes(MAX_ANSWER_BYTES + 1);
                if (read.length > MAX_ANSWER_BYTES) {
                    throw new IOException("the answer is larger than " + MAX_ANSWER_BYTES + " bytes");
                }
                return new Answer(status, read);
            }
        }
    }

    /** What went wrong underneath, in a few words: "connection refused", "unknown host x", … */
    private static String cause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : root.getMessage();
        return switch (root) {
            case java.net.ConnectException e -> "is unreachable: connection refused";
            case java.net.UnknownHostException e -> "is unreachable: unknown host " + message;
            case java.net.SocketTimeoutException e -> "did not answer in time";
            default -> "is unreachable: " + root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
        };
    }
}
