package io.joinery.it.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.JarProcess;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Start and stop of {@code proxy/target/joinery.jar} run as operators run it (Note [Start and stop]
 * in {@code Sidecar}): a database down at start is waited for, live and not ready, and gives up with
 * one line after the start timeout; SIGTERM turns readiness off at once, requests are served for the
 * drain, in-flight ones finish, then the listeners close and the process exits 0.
 */
class LifecycleTest {

    private static final String AUTHORS = "{ author(order_by: {id: asc}, limit: 2) { id } }";
    private static final String AUTHORS_ANSWER = "{\"data\":{\"author\":[{\"id\":1},{\"id\":2}]}}";
    private static TestDatabase db;
    private static Path metadata;

    @TempDir
    Path directory;

    @BeforeAll
    static void createDatabase() throws IOException {
        db = TestDatabase.create("lifecycle").load("/it/schema-bounds.sql");
        metadata = Files.createTempFile("joinery-lifecycle-", ".yaml");
        try (InputStream in = LifecycleTest.class.getResourceAsStream("/it/metadata-disconnect.yaml")) {
            Files.write(metadata, in.readAllBytes());
        }
    }

    @AfterAll
    static void dropDatabase() throws IOException {
        allowConnections(db, true);
        db.close();
        Files.deleteIfExists(metadata);
    }

    @Test
    void aSourceDownAtStartIsWaitedForLiveButNotReadyThenServed() {
        allowConnections(db, false);
        try (JarProcess sidecar = JarProcess.start(JarProcess.jar(), directory, Map.of("JOINERY_DATABASE_URL", db.url(),
                "JOINERY_METADATA", metadata.toString())).listening()) {
            sidecar.await(() -> sidecar.get("/health/ready").body().contains("does not answer"), Duration.ofSeconds(20),
                    "readiness names the source it waits for");
            assertEquals(200, sidecar.get("/health/live").statusCode(), "live while it waits: " + sidecar.output());
            HttpResponse<String> ready = sidecar.get("/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            JsonNode reasons = JsonTrees.parse(ready.body()).path("reasons");
            assertTrue(reasons.get(0).asText().startsWith("starting: waiting for the databases of the sources: source 'default' does not answer"),
                    ready.body());
            HttpResponse<String> query = sidecar.graphql(AUTHORS);
            assertEquals(503, query.statusCode(), query.body());
            assertEquals("not ready: the sidecar is starting", JsonTrees.parse(query.body()).path("errors").get(0).path("message").asText(), query.body());
            HttpResponse<String> admin = sidecar.get("/admin/v1/metadata");
            assertEquals(503, admin.statusCode(), admin.body());
            assertEquals("not-ready", JsonTrees.parse(admin.body()).path("code").asText(), admin.body());

            allowConnections(db, true);
            sidecar.ready(Duration.ofSeconds(20));
            assertEquals(JsonTrees.parse(AUTHORS_ANSWER), JsonTrees.parse(sidecar.graphql(AUTHORS).body()));
            JsonNode up = JsonTrees.parse(sidecar.get("/health/ready").body());
            assertEquals("UP", up.path("status").asText(), up.toString());
            assertEquals("answers", up.path("sources").path("default").asText(), up.toString());

            allowConnections(db, false);
            TestPostgres.server().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db.name() + "'");
            sidecar.await(() -> sidecar.get("/health/ready").statusCode() == 503, Duration.ofSeconds(10), "not ready while its source is down");
            assertTrue(sidecar.get("/health/ready").body().contains("source 'default' does not answer"), sidecar.get("/health/ready").body());
            allowConnections(db, true);
            sidecar.ready(Duration.ofSeconds(20));
        } finally {
            allowConnections(db, true);
        }
    }

    @Test
    void aStoreDownForTheWholeStartTimeoutEndsItWithOneLine() {
        try (TestDatabase store = TestDatabase.create("lifecycle_store")) {
            allowConnections(store, false);
            try (JarProcess sidecar = JarProcess.start(JarProcess.jar(), directory, Map.of("JOINERY_DATABASE_URL", db.url(),
                    "JOINERY_METADATA_DATABASE_URL", store.url(), "JOINERY_STARTUP_TIMEOUT_SECONDS", "2")).listening()) {
                assertEquals(1, sidecar.exitCode(Duration.ofSeconds(30)), sidecar.output());
                String output = sidecar.output();
                assertEquals(1, output.lines().filter(line -> line.startsWith("joinery: ")).count(), output);
                String last = output.lines().filter(line -> line.startsWith("joinery: ")).findFirst().orElseThrow();
                assertTrue(last.startsWith("joinery: gave up starting after 2 s (JOINERY_STARTUP_TIMEOUT_SECONDS), waiting for the metadata store: "),
                        last);
                assertTrue(last.contains("not currently accepting connections"), "the database's own reason: " + last);
                assertFalse(output.contains("\tat "), "no stack trace:\n" + output);
            } finally {
                allowConnections(store, true);
            }
        }
    }

    @Test
    void sigtermTurnsReadinessOffServesTheDrainFinishesInFlightRequestsAndExitsZero() throws Exception {
        try (JarProcess sidecar = JarProcess.start(JarProcess.jar(), directory, Map.of("JOINERY_DATABASE_URL", db.url(),
                "JOINERY_METADATA", metadata.toString(), "JOINERY_SHUTDOWN_DRAIN_SECONDS", "2",
                "JOINERY_SHUTDOWN_GRACE_SECONDS", "10")).listening().ready(Duration.ofSeconds(30));
             HttpClient keptAlive = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            assertEquals(JsonTrees.parse(AUTHORS_ANSWER), JsonTrees.parse(sidecar.graphql(keptAlive, AUTHORS).body()));

            long terminated = System.nanoTime();
            sidecar.process().destroy(); // SIGTERM
            sidecar.await(() -> sidecar.get("/health/ready").statusCode() == 503, Duration.ofSeconds(1), "not ready at once");
            assertTrue(sidecar.get("/health/ready").body().contains("shutting down"), sidecar.get("/health/ready").body());
            assertEquals(JsonTrees.parse(AUTHORS_ANSWER), JsonTrees.parse(sidecar.graphql(keptAlive, AUTHORS).body()), "a kept-alive client is served during the drain");
            assertEquals(JsonTrees.parse(AUTHORS_ANSWER), JsonTrees.parse(sidecar.graphql(AUTHORS).body()), "a new connection is served during the drain");
            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() ->
                    sidecar.graphql("{ slow_articles(args: {seconds: 3}, order_by: {id: asc}) { id } }"));

            sidecar.await(() -> refused(sidecar.graphqlPort()), Duration.ofSeconds(6), "the listener closes after the drain");
            double closedAfter = (System.nanoTime() - terminated) / 1e9;
            assertTrue(closedAfter >= 1.9, "the listener stayed up for the drain (2 s), closed after " + closedAfter + " s");
            assertFalse(inFlight.isDone(), "the slow request is still in flight when the listener closes");
            HttpResponse<String> slow = inFlight.get(15, TimeUnit.SECONDS);
            assertEquals(200, slow.statusCode(), slow.body());
            assertEquals(JsonTrees.parse("{\"data\":{\"slow_articles\":[{\"id\":1},{\"id\":2}]}}"), JsonTrees.parse(slow.body()), "the request in flight finished");
            assertEquals(0, sidecar.exitCode(Duration.ofSeconds(20)), sidecar.output());
        }
    }

    private static boolean refused(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void allowConnections(TestDatabase database, boolean allowed) {
        TestPostgres.server().execute("ALTER DATABASE " + database.name() + " ALLOW_CONNECTIONS " + allowed);
    }
}
