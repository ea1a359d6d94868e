package io.joinery.proxy.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;
import io.joinery.proxy.bounds.Waits;

import java.io.IOException;
import java.io.InputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.time.Duration;
import io.joinery.telemetry.ClientCall;
import io.joinery.telemetry.SpanNames;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Posts GraphQL requests to one remote over pooled keep-alive connections (Helidon WebClient).
 * The whole call — connect, send, read — is bounded by the remote's timeout: no caller waits
 * past it; the answer is parsed as it streams in and refused past {@code maxResponseBytes}.
 *
 * <p>Note [The sockets' read timeout]: the bound is the whole call's (Note [Waits watched by one
 * thread] in {@code bounds.Waits}); past it the call's thread is interrupted, which closes its
 * socket. The sockets keep a read timeout as well, the same: Helidon watches a pooled connection
 * while it is idle with reads of 101 ms, as many as fit in the socket's read timeout, so without one
 * (measured) a connection idle for 101 ms was dropped from the pool and a new one opened, the old
 * one left established.
 *
 * <p>A client is shared by whoever holds it: its maker, and each engine state serving it
 * ({@link #retain()}); the last {@link #release()} closes it. See Note [Remote clients' lifetime]
 * in {@code RemoteSchemaClients}.
 */
public final class RemoteClient implements AutoCloseable {

    /**
     * Buffers from the JVM's bounded pool rather than per thread (each call runs on a new virtual
     * thread): Note [Jackson's buffers and virtual threads] in {@code response.ResultTranscoder}.
     */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedBoundedPool()).build()).build();

    private final String name;
    private final URI url;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final long maxResponseBytes;
    private final WebClient client;
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger holders = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<String, Object> spanAttributes;

    public RemoteClient(String name, URI url, Map<String, String> headers, Duration timeout, long maxResponseBytes) {
        this.name = name;
        this.url = url;
        this.headers = Map.copyOf(headers);
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
        this.spanAttributes = spanAttributes(name, url);
        this.client = WebClient.builder()
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .followRedirects(false)
                .proxy(proxyFor(url))
                .build();
    }

    /**
     * The JVM's proxy for the remote's URL ({@code -Dhttp.proxyHost} and the like), decided once: with
     * none, no proxy, rather than Helidon's default of asking the JVM's proxy selector at each call
     * and sending {@code Proxy-Connection}, a header for proxies, to the remote itself.
     */
    static Proxy proxyFor(URI url) {
        boolean direct;
        try {
            direct = ProxySelector.getDefault() == null
                    || ProxySelector.getDefault().select(url).stream().allMatch(proxy -> proxy.type() == java.net.Proxy.Type.DIRECT);
        } catch (IllegalArgumentException e) {
            direct = false;
        }
        return direct ? Proxy.noProxy() : Proxy.create();
    }

    public String name() {
        return name;
    }

    /**
     * Sends {@code {"query", "variables"}} and returns the parsed response object (with
     * {@code data} and/or {@code errors}); throws {@link RemoteFailure} and nothing else.
     *
     * @param extraHeaders headers forwarded from the client, if the remote asks for them
     */
    public JsonNode post(String query, Map<String, Object> variables, Map<String, String> extraHeaders) {
        return post(query, variables, extraHeaders, ClientCall.NONE);
    }

    /**
     * {@link #post(String, Map, Map)} for a request: the call's W3C trace headers go with it, and its span gets the
     * HTTP status, or the failure ({@code timeout} when it did not answer in time).
     */
    public JsonNode post(String query, Map<String, Object> variables, Map<String, String> extraHeaders, ClientCall span) {
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        span.injectTraceHeaders(headers::put);
        try {
            return send(query, variables, headers, span);
        } catch (RemoteFailure failure) {
            span.failed(failure.timedOut() ? "timeout" : failure.getClass().getSimpleName(), failure.getMessage());
            throw failure;
        }
    }

    /**
     * The attributes of a call's span (semantic conventions): method, URL without credentials or
     * query ({@code url.full}), server address and port, and the remote's name.
     */
    public Map<String, Object> spanAttributes() {
        return spanAttributes;
    }

    /** {@link #spanAttributes()}, made once per client: they depend on its URL only. */
    private static Map<String, Object> spanAttributes(String name, URI url) {
        int port = url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        return Map.of(SpanNames.HTTP_METHOD, "POST",
                SpanNames.URL_FULL, url.getScheme() + "://" + url.getHost() + ":" + port + (url.getRawPath() == null ? "" : url.getRawPath()),
                SpanNames.SERVER_ADDRESS, url.getHost(),
                SpanNames.SERVER_PORT, port,
                SpanNames.REMOTE, name);
    }

    private JsonNode send(String query, Map<String, Object> variables, Map<String, String> extraHeaders, ClientCall span) {
        Map<String, Object> body = new LinkedHashMap<>(4);
        body.put("query", query);
        body.put("variables", variables);
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RemoteFailure("remote schema '" + name + "': cannot encode the request", e);
        }
        // the call runs on a thread of its own, so that its bound can interrupt it (closing its socket);
        // the wait for it is bounded by Waits (Note [Waits watched by one thread] in bounds.Waits)
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        Future<?> call;
        try {
            call = calls.submit(() -> {
                try {
                    answer.complete(send(payload, extraHeaders, span));
                } catch (Throwable e) {
                    answer.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new RemoteFailure("remote schema '" + name + "' is unavailable: its client is closed", where(), e);
        }
        try {
            return Waits.await(answer, timeout.toMillis(), Waits.Check.NONE);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw didNotAnswer(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RemoteFailure failure ? failure
                    : RemoteFailure.timedOut(cause) ? didNotAnswer(cause)
                    : new RemoteFailure("remote schema '" + name + "' is unreachable", where() + ": " + cause(cause), cause);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new RemoteFailure("remote schema '" + name + "': interrupted", where(), e);
        }
    }

    private JsonNode send(byte[] payload, Map<String, String> extraHeaders, ClientCall span) {
        var request = client.post(url.toString())
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.ACCEPT, "application/json");
        extraHeaders.forEach((k, v) -> request.header(HeaderNames.create(k), v));
        headers.forEach((k, v) -> request.header(HeaderNames.create(k), v));
        try (HttpClientResponse response = request.submit(payload)) {
            int status = response.status().code();
            span.status(status);
            if (response.headers().contentLength().orElse(0) > maxResponseBytes) {
                throw tooLarge();
            }
            JsonNode parsed = read(response, status);
            if (parsed == null || !parsed.isObject() || (!parsed.has("data") && !parsed.has("errors"))) {
                throw new RemoteFailure("remote schema '" + name + "' answered HTTP " + status + " without GraphQL data or errors", where());
            }
            if (status >= 300 && !parsed.has("data")) {
                throw new RemoteFailure.Refused("remote schema '" + name + "' answered HTTP " + status + ": " + firstError(parsed), where());
            }
            return parsed;
        }
    }

    /**
     * Parses the answer as it streams in, no further than {@code maxResponseBytes}, then reads
     * what follows the JSON to the end, so that the connection goes back to the pool. An answer
     * not read to the end is not drained: closing the response closes its connection.
     */
    private JsonNode read(HttpClientResponse response, int status) {
        CappedInput in = new CappedInput(response.entity().inputStream(), maxResponseBytes);
        JsonNode parsed;
        try {
            parsed = JSON.readTree(in);
        } catch (IOException e) {
            throw in.exceeded ? tooLarge() : RemoteFailure.timedOut(e) ? didNotAnswer(e)
                    : new RemoteFailure("remote schema '" + name + "' answered HTTP " + status + " with a body that is not JSON", where(), e);
        }
        try {
            in.skipToEnd();
        } catch (IOException e) {
            throw in.exceeded ? tooLarge() : new RemoteFailure("remote schema '" + name + "' is unreachable", where() + ": " + cause(e), e);
        }
        return parsed;
    }

    /**
     * The remote did not answer within the bound: the call's bound (Waits), or its socket's read
     * timeout, which is the same (Note [The sockets' read timeout]); either way the same message.
     */
    private RemoteFailure didNotAnswer(Throwable cause) {
        return new RemoteFailure("remote schema '" + name + "' did not answer within " + timeout.toMillis() + " ms", where(), cause);
    }

    private RemoteFailure tooLarge() {
        return new RemoteFailure("remote schema '" + name + "' answered more than " + maxResponseBytes + " bytes", where());
    }

    /** {@code POST scheme://host:port/path}: the URL without credentials or query, for admins and logs. */
    String where() {
        return "POST " + url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "")
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /** What went wrong underneath, in a few words: "connection refused", "unknown host x", … */
    static String cause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : root.getMessage();
        return switch (root) {
            case java.net.ConnectException e -> message.isEmpty() ? "connection refused" : message.toLowerCase(Locale.ROOT);
            case java.net.UnknownHostException e -> "unknown host " + message;
            case java.net.SocketTimeoutException e -> "timed out";
            case javax.net.ssl.SSLException e -> "TLS failed: " + message;
            default -> root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
        };
    }

    static String firstError(JsonNode response) {
        JsonNode errors = response.path("errors");
        return errors.isArray() && !errors.isEmpty() ? errors.get(0).path("message").asText("error") : "error";
    }

    /** One more holder: an engine state that serves this client. */
    public RemoteClient retain() {
        if (holders.getAndIncrement() <= 0) {
            throw new IllegalStateException("remote schema '" + name + "': its client is already closed");
        }
        return this;
    }

    /** A holder is done with it; the last one closes it. */
    public void release() {
        if (holders.decrementAndGet() == 0) {
            close();
        }
    }

    /** Closes it now, whoever holds it (the sidecar's shutdown, a throwaway client). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            calls.shutdownNow();
            client.closeResource();
        }
    }

    /** The answer's bytes, no more than a cap: reading past it fails with {@link TooLarge}. */
    private static final class CappedInput extends InputStream {

        static final class TooLarge extends IOException {
            TooLarge() {
                super("the answer is larger than the cap");
            }
        }

        private final InputStream in;
        private final long cap;
        private long read;
        boolean exceeded;

        CappedInput(InputStream in, long cap) {
            this.in = in;
            this.cap = cap;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, (int) Math.min(length, cap - read + 1));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws TooLarge {
            read += n;
            if (read > cap) {
                exceeded = true;
                throw new TooLarge();
            }
        }

        void skipToEnd() throws IOException {
            byte[] rest = new byte[512];
            while (read(rest, 0, rest.length) >= 0) {
                // what follows the JSON (whitespace, usually nothing) is read only to reach the end
            }
        }
    }
}
