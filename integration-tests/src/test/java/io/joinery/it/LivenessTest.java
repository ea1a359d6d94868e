package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /health/live} tells the truth: UP while the GraphQL listener answers, 503 with the reason
 * once it is dead. The listener is killed as an OutOfMemoryError killed it in the wild: its accept
 * thread ends (here by an interrupt, which Helidon's accept loop treats like any throwable: "this
 * server socket is terminating now").
 */
class LivenessTest {

    private static final String LISTENER_THREAD = "server-@default-listener";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void livenessFailsWhenTheGraphqlListenerIsDead() throws Exception {
        Set<Thread> before = listenerThreads();
        try (TestDatabase db = TestDatabase.create("liveness").load("/it/schema.sql");
             TestSidecar sidecar = TestSidecar.start(db.url(), "/it/metadata.yaml")) {
            List<Thread> started = listenerThreads().stream().filter(t -> !before.contains(t)).toList();
            assertEquals(1, started.size(), "the new sidecar's GraphQL accept thread: " + started);

            HttpResponse<String> up = get(sidecar, "/health/live");
            assertEquals(200, up.statusCode(), up.body());
            assertEquals("UP", JsonTrees.parse(up.body()).path("status").asText(), up.body());

            started.getFirst().interrupt();
            awaitRefused(sidecar);

            HttpResponse<String> down = get(sidecar, "/health/live");
            assertEquals(503, down.statusCode(), down.body());
            JsonNode body = JsonTrees.parse(down.body());
            assertEquals("DOWN", body.path("status").asText(), down.body());
            assertTrue(body.path("reason").asText().contains("GraphQL listener on 127.0.0.1:" + sidecar.sidecar().graphqlPort()),
                    "the answer says why: " + down.body());
            assertEquals(200, get(sidecar, "/health/ready").statusCode(), "readiness is another matter (the deploy issue)");
        }
    }

    private static HttpResponse<String> get(TestSidecar sidecar, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(sidecar.adminUri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits (at most 10 s) until the GraphQL port refuses connections. */
    private static void awaitRefused(TestSidecar sidecar) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            try (Socket probe = new Socket("127.0.0.1", sidecar.sidecar().graphqlPort())) {
                Thread.sleep(100);
            } catch (IOException refused) {
                return;
            }
        }
        throw new AssertionError("the GraphQL listener still accepts connections 10 s after its accept thread was interrupted");
    }

    private static Set<Thread> listenerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(LISTENER_THREAD))
                .collect(Collectors.toSet());
    }
}
