package io.joinery.it.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.admin.StoreSidecar.Answer;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two sidecars on one metadata store, as two pods of a fleet: a change made through one is served
 * by the other (within 5 s; the times are printed), and two writers that start from the same version
 * cannot both win.
 */
class FleetTest {

    static final String METADATA = """
            {"version": 1, "sources": [{"name": "default", "tables": [{"table": "author"}, {"table": "article"}]}]}
            """;
    static final Duration WITHIN = Duration.ofSeconds(5);
    static final int ROUNDS = 5;

    static TestDatabase db;
    static StoreSidecar a;
    static StoreSidecar b;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("fleet").load("/it/schema.sql");
        a = StoreSidecar.start(db.url());
        b = StoreSidecar.start(db.url());
    }

    @AfterAll
    static void stop() {
        try (StoreSidecar first = a; StoreSidecar second = b) {
            // closes both, then the database
        } finally {
            db.close();
        }
    }

    @BeforeEach
    void sameMetadataOnBoth() {
        long version = a.putDocument(METADATA).expect(200).etagVersion();
        DriftTest.awaitVersion(a.sidecar(), version);
        DriftTest.awaitVersion(b.sidecar(), version);
    }

    @Test
    void aRelationshipAddedThroughOneSidecarIsServedByTheOther() {
        List<Long> fromCommit = new ArrayList<>();
        List<Long> fromRequest = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            String name = "articles_" + round;
            String query = "{ author(where: {id: {_eq: 1}}) { " + name + "(order_by: {id: asc}, limit: 2) { id } } }";
            GraphqlResponse before = b.graphql().query(query);
            assertEquals("validation-failed", before.errors().path(0).path("extensions").path("code").asText(),
                    "B does not serve " + name + " before the change: " + before);

            long sent = System.nanoTime();
            a.put("/admin/v1/sources/default/tables/author/relationships/" + name, "{\"array\": \"article\", \"on\": {\"id\": \"author_id\"}}")
                    .expect(201);
            long committed = System.nanoTime();
            GraphqlResponse served = pollUntilServed(query, committed);
            long elapsed = System.nanoTime() - committed;
            fromCommit.add(elapsed / 1_000);
            fromRequest.add((System.nanoTime() - sent) / 1_000);

            assertEquals("{\"author\":[{\"" + name + "\":[{\"id\":9},{\"id\":18}]}]}", served.data().toString(), served.toString());
            assertTrue(elapsed < WITHIN.toNanos(), "B served " + name + " " + elapsed / 1_000_000 + " ms after A committed it");
        }
        System.out.println("fleet propagation, A's answer → B serves it (µs): " + fromCommit + "; A's request → B serves it (µs): " + fromRequest);
    }

    @ParameterizedTest(name = "through {0} sidecar(s)")
    @ValueSource(ints = {1, 2})
    void ofTwoConcurrentWritesWithTheSameEtagOneWinsAndTheOtherIs412(int sidecars) throws Exception {
        String etag = a.get("/admin/v1/metadata").expect(200).etag();
        long version = Long.parseLong(etag.replace("\"", ""));
        String[] documents = {
                METADATA.replace("{\"table\": \"article\"}", "{\"table\": \"article\", \"name\": \"post\"}"),
                METADATA.replace("{\"table\": \"article\"}", "{\"table\": \"comment\"}")};
        StoreSidecar[] targets = {a, sidecars == 1 ? a : b};

        CountDownLatch go = new CountDownLatch(1);
        List<Answer> answers = new ArrayList<>();
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Answer>> futures = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                StoreSidecar target = targets[i];
                String document = documents[i];
                futures.add(writers.submit(() -> {
                    go.await();
                    return target.admin("PUT", "/admin/v1/metadata", document, Map.of("If-Match", etag));
                }));
            }
            go.countDown();
            for (Future<Answer> future : futures) {
                answers.add(future.get());
            }
        }

        List<Integer> statuses = answers.stream().map(Answer::status).sorted().toList();
        assertEquals(List.of(200, 412), statuses, "one write wins, the other is refused: " + answers);
        Answer winner = answers.stream().filter(answer -> answer.status() == 200).findFirst().orElseThrow();
        Answer loser = answers.stream().filter(answer -> answer.status() == 412).findFirst().orElseThrow();
        assertEquals("precondition-failed", loser.code(), loser.toString());
        assertEquals(version + 1, loser.json().path("resource_version").asLong(), "the 412 names the version that won: " + loser);
        assertEquals("\"" + (version + 1) + "\"", loser.etag(), "and carries its ETag, to re-read and retry");

        JsonNode stored = a.get("/admin/v1/metadata").expect(200).json();
        String winning = documents[answers.indexOf(winner)];
        assertEquals(StoreSidecar.JSON.readTree(winning), stored, "the store holds the winner's document, whole");
    }

    @Test
    void requestsInFlightWhileTheSchemaIsSwappedAllSucceed() throws Exception {
        String query = "{ author(where: {id: {_eq: 1}}) { name } article(order_by: {id: asc}, limit: 1) { title } }";
        String expected = "{\"author\":[{\"name\":\"Margaret\"}],\"article\":[{\"title\":\"Article 1\"}]}";
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        int swaps = 10;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int client = 0; client < 4; client++) {
                clients.submit(() -> {
                    while (running.get()) {
                        GraphqlResponse response = b.graphql().query(query);
                        if (response.status() != 200 || !response.errors().isMissingNode() || !expected.equals(response.data().toString())) {
                            failures.add(response.toString());
                        }
                        answered.incrementAndGet();
                    }
                });
            }
            for (int swap = 1; swap <= swaps; swap++) {
                String path = "/admin/v1/sources/default/tables/author/relationships/swap_" + swap;
                long version = a.put(path, "{\"array\": \"article\", \"on\": {\"id\": \"author_id\"}}").expect(201).etagVersion();
                DriftTest.awaitVersion(b.sidecar(), version);
                int seen = answered.get();
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (answered.get() < seen + 4 && System.nanoTime() < deadline) {
                    Thread.sleep(5); // let requests run on the new schema before the next swap
                }
            }
            running.set(false);
        }
        assertEquals(List.of(), failures, "no request fails while B swaps schemas " + swaps + " times");
        assertTrue(answered.get() >= 4 * swaps, "the clients kept querying through the swaps: " + answered.get() + " answers");
    }

    /** Polls B until it answers {@code query} without errors; fails after {@link #WITHIN} (plus slack, to report the time). */
    private static GraphqlResponse pollUntilServed(String query, long since) {
        while (true) {
            GraphqlResponse response = b.graphql().query(query);
            if (response.errors().isMissingNode()) {
                return response;
            }
            if (System.nanoTime() - since > 2 * WITHIN.toNanos()) {
                throw new AssertionError("B still does not serve the change after " + 2 * WITHIN.toMillis() + " ms: " + response);
            }
        }
    }
}
