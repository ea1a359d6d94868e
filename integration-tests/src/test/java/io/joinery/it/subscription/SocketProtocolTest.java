package io.joinery.it.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlSocket;
import io.joinery.it.support.SidecarOnDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two WebSocket protocols' rules as a client meets them: the handshake, authentication in
 * {@code connection_init} (the session rules of HTTP), the close codes of {@code graphql-transport-ws},
 * {@code connection_error} and {@code error} of {@code graphql-ws}, errors of operations, and the
 * limit of subscriptions per connection.
 */
class SocketProtocolTest {

    private static final Map<String, String> ADMIN = Map.of("x-joinery-admin-secret", TestSidecar.ADMIN_SECRET);

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("wsprotocol", "/it/schema.sql", "/it/metadata.yaml")
            .with(Map.of("JOINERY_LIVE_QUERIES_REFETCH_INTERVAL_MS", "50", "JOINERY_WEBSOCKET_INIT_TIMEOUT_SECONDS", "1",
                    "JOINERY_MAX_SUBSCRIPTIONS_PER_CONNECTION", "2", "JOINERY_READ_TIMEOUT_SECONDS", "2",
                    "JOINERY_WEBSOCKET_KEEPALIVE_SECONDS", "1"));

    private static GraphqlSocket open(String protocol) {
        return GraphqlSocket.open(served.sidecar(), protocol);
    }

    @Test
    void aWrongAdminSecretInConnectionInitIsForbidden() {
        try (GraphqlSocket socket = open(GraphqlSocket.TRANSPORT_WS)) {
            socket.sendInit(Map.of("x-joinery-admin-secret", "wrong"));
            assertEquals(4403, socket.closeCode(), "close code");
        }
        try (GraphqlSocket socket = open(GraphqlSocket.LEGACY_WS)) {
            socket.sendInit(Map.of("x-joinery-admin-secret", "wrong"));
            JsonNode refused = socket.await(m -> m.path("type").asText().equals("connection_error"), "connection_error");
            assertTrue(refused.path("payload").path("message").isTextual(), refused.toString());
        }
    }

    /** Without the secret the caller is the unauthorized role, as over HTTP: anonymous sees published articles only. */
    @Test
    void connectionInitWithoutCredentialsGetsTheUnauthorizedRole() {
        try (GraphqlSocket socket = open(GraphqlSocket.TRANSPORT_WS).init(Map.of())) {
            socket.subscribe("1", "subscription { article(order_by: {id: asc}) { id } }", Map.of());
            assertEquals(3, socket.next("1").path("data").path("article").size(), "anonymous' limit of 3 rows");
            socket.subscribe("2", "subscription { author { id } }", Map.of());
            JsonNode error = socket.message("2", "error");
            assertEquals("validation-failed", error.path("payload").path(0).path("extensions").path("code").asText(),
                    "a field the role does not have: " + error);
        }
    }

    @Test
    void subscribeBeforeTheAcknowledgementIsUnauthorized() {
        try (GraphqlSocket socket = open(GraphqlSocket.TRANSPORT_WS)) {
            socket.subscribe("1", "subscription { author { id } }", Map.of());
            assertEquals(4401, socket.closeCode());
        }
    }

    @Test
    void aSecondSubscriberWithTheSameIdClosesTheConnection() {
        try (GraphqlSocket socket = open(GraphqlSocket.TRANSPORT_WS).init(ADMIN)) {
            socket.subscribe("1", "subscription { author(limit: 1) { id } }", Map.of());
            socket.subscribe("1", "subscription { author(limit: 1) { id } }", Map.of());
            assertEquals(4409, socket.closeCode());
            assertEquals("Subscriber for 1 already exists", socket.closeReason());
        }
    }

    @Test
    void anInvalidMessageClosesTheConnection() {
        try (GraphqlSocket socket = open(GraphqlSocket.TRANSPORT_WS).init(ADMIN)) {
            socket.sendText("{not json");
            assertEquals(4400, socket.closeCode());
        }
    }

    @Test
    void noConnectionInitInTimeClosesTheConnection() {
        try (GraphqlSocket socket = open(GraphqlSocket.TRANSPORT_WS)) {
            assertEquals(4408, socket.closeCode());
        }
    }

    /**
     * Every carrier of the virtual threads busy for 2.5 s (as thousands of subscribers starting at
     * once make them): the connection's reader cannot read the init the client sent at once, but the
     * 1 s timeout does not close a connection for the sidecar's own delay (Note [Init timeout under
     * load] in {@code SocketConnection}); the init is acknowledged and the connection serves.
     */
    @Test
    void aConnectionInitTheSidecarIsTooBusyToReadInTimeIsAcknowledged() throws InterruptedException {
        try (GraphqlSocket socket = open(GraphqlSocket.TRANSPORT_WS)) {
            int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
            java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(carriers);
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(2500);
            java.util.List<Thread> spinners = new java.util.ArrayList<>();
            for (int i = 0; i < carriers; i++) {
                spinners.add(Thread.ofVirtual().start(() -> {
                    busy.countDown();
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }));
            }
            assertTrue(busy.await(5, java.util.concurrent.TimeUnit.SECONDS), "every carrier busy");
            socket.sendInit(ADMIN);
            for (Thread spinner : spinners) {
                spinner.join();
            }
            socket.await(m -> m.path("type").asText().equals("connection_ack"), "connection_ack");
            socket.subscribe("1", "subscription { author_by_pk(id: 1) { id } }", Map.of());
            assertEquals(1, socket.next("1").path("data").path("author_by_pk").path("id").asInt());
        }
    }

    /** The listener closes a connection whose client sends nothing for the read timeout (2 s here); the pings keep a quiet subscriber's. */
    @Test
    void aQuietSubscriberOutlivesTheReadTimeoutThroughKeepAlive() {
        try (GraphqlSocket socket = open(GraphqlSocket.TRANSPORT_WS).init(ADMIN)) {
            socket.subscribe("1", "subscription { author_by_pk(id: 5) { name } }", Map.of());
            assertEquals("Barbara", socket.next("1").path("data").path("author_by_pk").path("name").asText());
            socket.during(java.time.Duration.ofSeconds(5), m -> false);

            served.database().execute("UPDATE author SET name = 'Barbara L' WHERE id = 5");

            assertEquals("Barbara L", socket.next("1").path("data").path("author_by_pk").path("name").asText(),
                    "the subscription still delivers after 5 s of a silent client");
        }
    }

    @Test
    void pingIsAnsweredWithPong() {
        try (GraphqlSocket socket = open(GraphqlSocket.TRANSPORT_WS).init(ADMIN)) {
            socket.send(Map.of("type", "ping"));
            socket.await(m -> m.path("type").asText().equals("pong"), "pong");
        }
    }

    @Test
    void anOperationThatDoesNotValidateIsAnErrorInBothProtocols() {
        try (GraphqlSocket socket = open(GraphqlSocket.TRANSPORT_WS).init(ADMIN)) {
            socket.subscribe("1", "subscription { author { no_such_field } }", Map.of());
            JsonNode error = socket.message("1", "error");
            assertEquals("validation-failed", error.path("payload").path(0).path("extensions").path("code").asText(), error.toString());
        }
        try (GraphqlSocket socket = open(GraphqlSocket.LEGACY_WS).init(ADMIN)) {
            socket.subscribe("1", "subscription { author { no_such_field } }", Map.of());
            JsonNode error = socket.message("1", "error");
            assertEquals("validation-failed", error.path("payload").path("errors").path(0).path("extensions").path("code").asText(), error.toString());
        }
    }

    @Test
    void aConnectionHoldsAtMostItsLimitOfSubscriptions() {
        try (GraphqlSocket socket = open(GraphqlSocket.TRANSPORT_WS).init(ADMIN)) {
            for (String id : new String[]{"1", "2"}) {
                socket.subscribe(id, "subscription { author(limit: 1) { id } }", Map.of());
                socket.next(id);
            }
            socket.subscribe("3", "subscription { author(limit: 1) { id } }", Map.of());
            JsonNode error = socket.message("3", "error");
            assertTrue(error.path("payload").path(0).path("message").asText().contains("maximum of 2 subscriptions"), error.toString());
            socket.complete("1");
            socket.subscribe("4", "subscription { author(limit: 1) { id } }", Map.of());
            socket.next("4");
        }
    }

    @Test
    void anUnknownSubprotocolIsRefused() {
        URI uri = URI.create(served.sidecar().graphqlUri("/v1/graphql").toString().replace("http://", "ws://"));
        CompletionException refused = assertThrows(CompletionException.class, () -> HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols("mqtt").buildAsync(uri, new WebSocket.Listener() { }).join());
        assertTrue(refused.getCause() instanceof java.net.http.WebSocketHandshakeException, "the handshake fails: " + refused.getCause());
    }
}
