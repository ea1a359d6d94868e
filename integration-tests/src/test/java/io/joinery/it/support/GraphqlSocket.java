package io.joinery.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A WebSocket client of {@code /v1/graphql} (the JDK's), speaking {@code graphql-transport-ws} or
 * {@code graphql-ws}: it sends JSON messages and keeps every message received, in order, for the
 * test to wait for.
 *
 * <pre>
 * try (GraphqlSocket socket = GraphqlSocket.open(sidecar, GraphqlSocket.TRANSPORT_WS)) {
 *     socket.init(Map.of("x-joinery-admin-secret", TestSidecar.ADMIN_SECRET));
 *     socket.subscribe("1", "subscription { author { id } }", Map.of());
 *     JsonNode first = socket.next("1");
 * </pre>
 */
public final class GraphqlSocket implements AutoCloseable {

    public static final String TRANSPORT_WS = "graphql-transport-ws";
    public static final String LEGACY_WS = "graphql-ws";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final String protocol;
    private final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final List<JsonNode> skipped = new ArrayList<>();
    private WebSocket socket;
    private volatile String closeReason;

    private GraphqlSocket(String protocol) {
        this.protocol = protocol;
    }

    /** A connection in {@code protocol} to the sidecar's GraphQL listener. */
    public static GraphqlSocket open(TestSidecar sidecar, String protocol) {
        URI uri = URI.create(sidecar.graphqlUri("/v1/graphql").toString().replace("http://", "ws://"));
        GraphqlSocket client = new GraphqlSocket(protocol);
        client.socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols(protocol)
                .buildAsync(uri, client.new Listener()).join();
        return client;
    }

    /** The protocol the server chose. */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    public boolean legacy() {
        return protocol.equals(LEGACY_WS);
    }

    /** {@code connection_init} with these headers, and waits for {@code connection_ack}. */
    public GraphqlSocket init(Map<String, String> headers) {
        sendInit(headers);
        await(m -> m.path("type").asText().equals("connection_ack"), "connection_ack");
        return this;
    }

    public void sendInit(Map<String, String> headers) {
        send(Map.of("type", "connection_init", "payload", Map.of("headers", headers)));
    }

    /** {@code subscribe} (or {@code start} in graphql-ws) of an operation under {@code id}. */
    public void subscribe(String id, String query, Map<String, ?> variables) {
        send(Map.of("id", id, "type", legacy() ? "start" : "subscribe", "payload", Map.of("query", query, "variables", variables)));
    }

    /** {@code complete} (or {@code stop} in graphql-ws). */
    public void complete(String id) {
        send(Map.of("id", id, "type", legacy() ? "stop" : "complete"));
    }

    public void send(Object message) {
        sendText(JsonTrees.write(JSON.valueToTree(message)));
    }

    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    /** The payload of the next result for {@code id} ({@code next}, or {@code data} in graphql-ws). */
    public JsonNode next(String id) {
        return await(m -> id.equals(m.path("id").asText()) && m.path("type").asText().equals(legacy() ? "data" : "next"),
                "a result for " + id).path("payload");
    }

    /** The next message of this type for {@code id}. */
    public JsonNode message(String id, String type) {
        return await(m -> id.equals(m.path("id").asText()) && m.path("type").asText().equals(type), type + " for " + id);
    }

    /** Waits for the first message (from those not yet taken) that matches; others are kept for later waits. */
    public JsonNode await(Predicate<JsonNode> wanted, String what) {
        for (JsonNode message : skipped) {
            if (wanted.test(message)) {
                skipped.remove(message);
                return message;
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode message;
            try {
                message = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (message == null) {
                fail("no " + what + " within " + WAIT + "; received meanwhile: " + skipped
                        + (closed.isDone() ? "; closed " + closed.join() + " " + closeReason : ""));
            }
            if (wanted.test(message)) {
                return message;
            }
            skipped.add(message);
        }
    }

    /** The messages received within {@code quiet} that match, besides those already kept. */
    public List<JsonNode> during(Duration quiet, Predicate<JsonNode> wanted) {
        try {
            Thread.sleep(quiet);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        received.drainTo(skipped);
        return skipped.stream().filter(wanted).toList();
    }

    /** Drops the messages received so far. */
    public void forget() {
        received.drainTo(skipped);
        skipped.clear();
    }

    /** The close code the server sent, waiting for it. */
    public int closeCode() {
        try {
            Integer code = closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(code);
            return code;
        } catch (Exception e) {
            throw new AssertionError("the server did not close the connection within " + WAIT + "; received: " + skipped + " " + received, e);
        }
    }

    public String closeReason() {
        closeCode();
        return closeReason;
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(text.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException("the server sent no JSON: " + text, e);
                }
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
