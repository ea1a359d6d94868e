package io.joinery.it.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestGraphqlServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clients of served remote schemas belong to the served state: checks and dry runs introspect
 * through throwaway clients of their own, and a metadata change retires the old client only once
 * the requests using it have finished. Remote queries run in a loop meanwhile; none may fail. The
 * remote ({@link TestGraphqlServer}) sees which client called by the {@code X-Api-Key} header each
 * configuration sends.
 */
class RemoteClientLifetimeTest {

    private static final String QUERY = "{ echoHeader(name: \"x-api-key\") author(limit: 1) { id } }";

    static TestDatabase db;
    static TestGraphqlServer remote;
    static StoreSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("remotelife").load("/it/schema.sql");
        remote = new TestGraphqlServer();
        sidecar = StoreSidecar.start(db.url(), Map.of("PROFILES_URL", remote.url()));
    }

    @AfterAll
    static void stop() {
        try (StoreSidecar closingSidecar = sidecar; TestGraphqlServer closingRemote = remote; TestDatabase closingDb = db) {
            // closes the sidecar, then the remote, then the database
        }
    }

    @AfterEach
    void resetRemote() {
        remote.reset();
    }

    @Test
    void checksAndDryRunsCostTheServedClientNothingAndBreakNothing() throws Exception {
        serve("live");
        remote.reset();
        try (Load load = new Load(1, Set.of("live"))) {
            for (int i = 0; i < 20; i++) {
                load.awaitMore();
                JsonNode valid = sidecar.post("/admin/v1/metadata/validate", document("check-" + i, 7)).expect(200).json();
                assertTrue(valid.path("valid").asBoolean(), "the checked document is valid: " + valid);
            }
            for (int i = 0; i < 5; i++) {
                load.awaitMore();
                JsonNode dryRun = sidecar.post("/admin/v1/metadata/import/hasura?dry_run=true", hasuraExport("dry-" + i)).expect(200).json();
                assertEquals(0, dryRun.path("problems").size(), "the dry run finds no problem: " + dryRun);
            }
            load.finish();
            assertEquals(0, load.failed.get(), "no remote query fails while checks run: " + load.failures);
            int live = remote.headers().stream().filter(h -> "live".equals(h.get("x-api-key"))).toList().size();
            assertEquals(load.succeeded.get(), live, "the served client made exactly the loop's calls, none for the checks");
            long checks = remote.headers().stream().filter(h -> String.valueOf(h.get("x-api-key")).matches("(check|dry)-\\d+")).count();
            assertTrue(checks >= 25, "each check and dry run introspected through its own client: " + checks);
        }
    }

    @Test
    void aMetadataChangeWithRequestsInFlightFailsNoneOfThem() throws Exception {
        serve("v0");
        remote.delay(Duration.ofMillis(100));
        Set<String> versions = ConcurrentHashMap.newKeySet();
        versions.add("v0");
        try (Load load = new Load(3, versions)) {
            for (int v = 1; v <= 6; v++) {
                load.awaitMore();
                versions.add("v" + v);
                serve("v" + v);
                load.awaitAnswer("v" + v);
            }
            load.finish();
            assertEquals(0, load.failed.get(), "no request fails while the remote's client is replaced: " + load.failures);
            assertTrue(load.succeeded.get() >= 12, "requests ran during the changes: " + load.succeeded.get());
        }
    }

    /** Stores a document whose remote sends {@code X-Api-Key: key} and waits until the sidecar serves it. */
    private static void serve(String key) {
        StoreSidecar.Answer current = sidecar.get("/admin/v1/metadata").expect(200);
        StoreSidecar.Answer stored = sidecar.admin("PUT", "/admin/v1/metadata", document(key, 5), Map.of("If-Match", current.etag())).expect(200);
        DriftTest.awaitVersion(sidecar.sidecar(), stored.json().path("resource_version").asLong(stored.etagVersion()));
    }

    private static String document(String key, int timeout) {
        return """
                {"version": 1,
                 "sources": [{"name": "default", "tables": [{"table": "author"}]}],
                 "remote_schemas": [{"name": "profiles", "url": {"from_env": "PROFILES_URL"},
                   "headers": {"X-Api-Key": "%s"}, "timeout_seconds": %d}]}
                """.formatted(key, timeout);
    }

    private static String hasuraExport(String key) {
        return """
                {"version": 3,
                 "sources": [{"name": "default", "kind": "postgres", "tables": [{"table": {"schema": "public", "name": "author"}}],
                   "configuration": {"connection_info": {"database_url": {"from_env": "JOINERY_DATABASE_URL"}}}}],
                 "remote_schemas": [{"name": "profiles", "definition": {"url": "{{PROFILES_URL}}",
                   "headers": [{"name": "X-Api-Key", "value": "%s"}], "timeout_seconds": 9}}]}
                """.formatted(key);
    }

    /**
     * Threads querying the remote through the sidecar until {@link #finish()}: an answer is a
     * failure unless it has no error and the remote saw one of the {@code accepted} keys.
     */
    private static final class Load implements AutoCloseable {

        /** The first few failed answers; {@link #failed} counts them all. */
        final List<String> failures = new CopyOnWriteArrayList<>();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger succeeded = new AtomicInteger();
        private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Load(int threadCount, Set<String> accepted) {
            GraphqlClient client = sidecar.graphql();
            for (int t = 0; t < threadCount; t++) {
                threads.add(Thread.ofPlatform().name("remote-load-" + t).start(() -> {
                    while (running.get()) {
                        GraphqlResponse answer = client.query(QUERY);
                        String key = answer.data().path("echoHeader").asText(null);
                        if (answer.status() != 200 || answer.errors().size() > 0 || !accepted.contains(key)
                                || answer.data().path("author").size() != 1) {
                            if (failed.incrementAndGet() <= 5) {
                                failures.add(answer.toString());
                            }
                        } else {
                            succeeded.incrementAndGet();
                            seen.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                }));
            }
        }

        /** Waits (at most 10 s) until the loop has answered once more, so that each check overlaps queries. */
        void awaitMore() throws InterruptedException {
            int before = succeeded.get() + failed.get();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (succeeded.get() + failed.get() == before && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(succeeded.get() + failed.get() > before, "the load runs");
        }

        /** Waits (at most 10 s) until a query saw the remote receive {@code key}. */
        void awaitAnswer(String key) throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!seen.containsKey(key) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(seen.containsKey(key), "the remote received " + key + " once it was served; seen: " + seen + ", failures: " + failures);
        }

        void finish() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(30_000);
            }
        }

        @Override
        public void close() throws InterruptedException {
            finish();
        }
    }
}
