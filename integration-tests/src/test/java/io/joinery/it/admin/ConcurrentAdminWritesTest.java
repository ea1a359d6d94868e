package io.joinery.it.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.joinery.it.admin.StoreSidecar.Answer;
import io.joinery.it.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Admin writes racing through two sidecars of one store lose nothing: every write that was
 * acknowledged (2xx) is in the final document, and every other one was told so (412, 409 or 428).
 * A whole-document PUT without {@code If-Match} is refused with 428, because it would undo the
 * resource writes made since its client read the document.
 */
class ConcurrentAdminWritesTest {

    static final String METADATA = """
            {"version": 1, "sources": [{"name": "default", "tables": [{"table": "author"}, {"table": "article"}]}]}
            """;
    static final String ARTICLES = "{\"array\": \"article\", \"on\": {\"id\": \"author_id\"}}";
    static final int WRITERS = 10;
    static final int ATTEMPTS = 20;

    static TestDatabase db;
    static StoreSidecar a;
    static StoreSidecar b;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("concurrent_admin").load("/it/schema.sql");
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
    void twoTables() {
        a.putDocument(METADATA).expect(200);
    }

    @Test
    void aWholeDocumentPutWithoutIfMatchIs428WithTheJsonErrorShape() {
        long version = a.get("/admin/v1/metadata").expect(200).etagVersion();
        for (Map<String, String> headers : List.<Map<String, String>>of(Map.of(), Map.of("If-Match", "*"))) {
            Answer put = a.admin("PUT", "/admin/v1/metadata", METADATA, headers);
            assertEquals(428, put.status(), put.toString());
            assertEquals("application/json", put.headers().firstValue("Content-Type").orElse(""), put.toString());
            assertEquals("precondition-required", put.code(), put.toString());
            String message = put.json().path("message").asText();
            assertTrue(message.contains("If-Match") && message.contains("GET /admin/v1/metadata"), message);
            assertEquals(List.of("code", "message"), fieldNames(put.json()), "the admin API's error shape: " + put);
        }
        assertEquals(version, a.get("/admin/v1/metadata").expect(200).etagVersion(), "nothing was written");
    }

    /**
     * Ten clients replace the whole document (each reads it, adds its own relationship and puts it
     * back, and on 412 reads it again, up to {@link #ATTEMPTS} times) while ten others PUT one
     * permission each, half through each sidecar, all at once. Without If-Match, they are naive
     * clients of the old API: they read, edit and PUT once.
     */
    @ParameterizedTest(name = "whole-document writers send If-Match: {0}")
    @ValueSource(booleans = {true, false})
    void wholeDocumentPutsRacingPermissionPutsLoseNothing(boolean ifMatch) throws Exception {
        List<Callable<Answer>> writes = new ArrayList<>();
        AtomicInteger stale = new AtomicInteger();
        for (int i = 0; i < WRITERS; i++) {
            StoreSidecar through = i % 2 == 0 ? a : b;
            String relationship = "whole_" + i;
            writes.add(() -> {
                for (int attempt = 1; ; attempt++) {
                    Answer current = through.get("/admin/v1/metadata").expect(200);
                    String next = withRelationship(current.json(), relationship);
                    Answer put = through.admin("PUT", "/admin/v1/metadata", next, ifMatch ? Map.of("If-Match", current.etag()) : Map.of());
                    if (put.status() != 412 || attempt == ATTEMPTS) {
                        return put;
                    }
                    stale.incrementAndGet();
                }
            });
        }
        for (int i = 0; i < WRITERS; i++) {
            StoreSidecar through = i % 2 == 0 ? b : a;
            String path = "/admin/v1/sources/default/tables/article/permissions/role_" + i + "/select";
            writes.add(() -> through.put(path, "{\"columns\": [\"id\"], \"filter\": {}}"));
        }
        List<Answer> answers = race(writes);

        JsonNode stored = a.get("/admin/v1/metadata").expect(200).json();
        List<String> lost = new ArrayList<>();
        Map<Integer, Integer> statuses = new HashMap<>();
        for (int i = 0; i < 2 * WRITERS; i++) {
            Answer answer = answers.get(i);
            statuses.merge(answer.status(), 1, Integer::sum);
            boolean whole = i < WRITERS;
            int n = whole ? i : i - WRITERS;
            if (answer.status() / 100 == 2) {
                boolean present = whole
                        ? table(stored, "author").path("relationships").has("whole_" + n)
                        : table(stored, "article").path("permissions").path("role_" + n).has("select");
                if (!present) {
                    lost.add(answer.request() + " was acknowledged with " + answer.status());
                }
                continue;
            }
            Map<Integer, String> refusals = whole ? (ifMatch ? Map.of(412, "precondition-failed") : Map.of(428, "precondition-required"))
                    : Map.of(409, "concurrent-change");
            assertEquals(refusals.get(answer.status()), answer.code(), "a write not acknowledged is refused with " + refusals + ": " + answer);
        }
        System.out.println("whole-document PUTs " + (ifMatch ? "with" : "without") + " If-Match racing permission PUTs, last answers: "
                + statuses + ", 412s retried: " + stale);
        assertEquals(List.of(), lost, "every acknowledged write is in the final document: " + stored);
        long acknowledgedWhole = answers.subList(0, WRITERS).stream().filter(answer -> answer.status() / 100 == 2).count();
        long acknowledgedPermissions = answers.subList(WRITERS, 2 * WRITERS).stream().filter(answer -> answer.status() / 100 == 2).count();
        assertTrue(ifMatch ? acknowledgedWhole >= 1 : acknowledgedWhole == 0,
                acknowledgedWhole + " whole-document PUTs were acknowledged: " + answers);
        assertTrue(acknowledgedPermissions >= WRITERS / 2, "most permission PUTs get through the retries: " + answers);
    }

    @Test
    void concurrentResourceWritesToDifferentObjectsThroughTwoSidecarsLoseNothing() throws Exception {
        List<Callable<Answer>> writes = new ArrayList<>();
        for (int i = 0; i < 2 * WRITERS; i++) {
            StoreSidecar through = i % 2 == 0 ? a : b;
            String path = i % 4 < 2
                    ? "/admin/v1/sources/default/tables/author/relationships/rel_" + i
                    : "/admin/v1/sources/default/tables/author/permissions/role_" + i + "/select";
            String body = i % 4 < 2 ? ARTICLES : "{\"columns\": [\"id\", \"name\"], \"filter\": {}}";
            writes.add(() -> through.put(path, body));
        }
        List<Answer> answers = race(writes);

        JsonNode author = table(a.get("/admin/v1/metadata").expect(200).json(), "author");
        List<String> lost = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            Answer answer = answers.get(i);
            if (answer.status() / 100 != 2) {
                assertEquals("concurrent-change", answer.code(), "the only refusal is a conflict that outlasted the retries: " + answer);
                continue;
            }
            boolean present = i % 4 < 2 ? author.path("relationships").has("rel_" + i) : author.path("permissions").path("role_" + i).has("select");
            if (!present) {
                lost.add(answer.request());
            }
        }
        assertEquals(List.of(), lost, "every acknowledged write is in the final document: " + author);
        assertTrue(answers.stream().filter(answer -> answer.status() / 100 == 2).count() >= WRITERS,
                "most writes get through the retries: " + answers);
    }

    /** Runs {@code writes} at once, each on its own thread, and returns their answers in order. */
    static List<Answer> race(List<Callable<Answer>> writes) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Answer> answers = new ArrayList<>();
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Answer>> futures = new ArrayList<>();
            for (Callable<Answer> write : writes) {
                futures.add(writers.submit(() -> {
                    go.await();
                    return write.call();
                }));
            }
            go.countDown();
            for (Future<Answer> future : futures) {
                answers.add(future.get());
            }
        }
        return answers;
    }

    static String withRelationship(JsonNode document, String name) {
        JsonNode copy = document.deepCopy();
        ObjectNode author = (ObjectNode) table(copy, "author");
        ObjectNode relationships = author.has("relationships") ? (ObjectNode) author.get("relationships") : author.putObject("relationships");
        try {
            relationships.set(name, StoreSidecar.JSON.readTree(ARTICLES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy.toString();
    }

    static JsonNode table(JsonNode document, String name) {
        for (JsonNode table : document.path("sources").path(0).path("tables")) {
            if (name.equals(table.path("table").asText())) {
                return table;
            }
        }
        throw new AssertionError("no table " + name + " in " + document);
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
