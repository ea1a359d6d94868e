package io.joinery.it.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metadata store in its own database ({@code JOINERY_METADATA_DATABASE_URL}), as a fleet shares
 * one: while it refuses connections the sidecar keeps serving the last good metadata, says so in
 * {@code /health/ready}, refuses admin writes with 503, and when the store is back it is healthy
 * again and takes changes.
 */
class StoreOutageTest {

    static final String METADATA = """
            {"version": 1, "sources": [{"name": "default", "tables": [{"table": "author"}]}]}
            """;
    static final String QUERY = "{ author(order_by: {id: asc}, limit: 2) { name } }";
    static final String ANSWER = "{\"author\":[{\"name\":\"Margaret\"},{\"name\":\"Alan\"}]}";

    static TestDatabase data;
    static TestDatabase meta;
    static StoreSidecar sidecar;

    @BeforeAll
    static void start() {
        data = TestDatabase.create("outage_data").load("/it/schema.sql");
        meta = TestDatabase.create("outage_meta");
        sidecar = StoreSidecar.start(data.url(), Map.of("JOINERY_METADATA_DATABASE_URL", meta.url()));
    }

    @AfterAll
    static void stop() {
        try (StoreSidecar closing = sidecar; TestDatabase first = data; TestDatabase second = meta) {
            setConnections(true);
        }
    }

    @Test
    void whileTheStoreIsDownTheLastGoodMetadataIsServedAndHealthSaysSo() {
        long version = sidecar.putDocument(METADATA).expect(200).etagVersion();
        DriftTest.awaitVersion(sidecar.sidecar(), version);
        assertEquals(0, data.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'joinery'"),
                "the store is not in the data database");
        assertEquals(1, meta.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'joinery'"),
                "the store is in the metadata database");
        assertEquals("reachable", ready().path("metadata_store").asText());

        setConnections(false);
        try {
            TestPostgres.server().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + meta.name() + "'");
            awaitTrue(() -> ready().path("metadata_store").asText().startsWith("unreachable since"), Duration.ofSeconds(5));
            assertTrue(ready().path("metadata_store").asText().endsWith("serving the last good metadata"), ready().toString());
            assertEquals(version, ready().path("metadata_version").asLong());

            GraphqlResponse served = sidecar.graphql().query(QUERY);
            assertEquals(ANSWER, served.data().toString(), "queries go on: " + served);
            StoreSidecar.Answer write = sidecar.put("/admin/v1/sources/default/tables/article", "{}");
            assertEquals(503, write.status(), write.toString());
            assertEquals("store-unavailable", write.code());
        } finally {
            setConnections(true);
        }

        awaitTrue(() -> ready().path("metadata_store").asText().equals("reachable"), Duration.ofSeconds(10));
        long next = sidecar.put("/admin/v1/sources/default/tables/article", "{}").expect(201).etagVersion();
        DriftTest.awaitVersion(sidecar.sidecar(), next);
        GraphqlResponse articles = sidecar.graphql().query("{ article(limit: 1, order_by: {id: asc}) { title } }");
        assertEquals("{\"article\":[{\"title\":\"Article 1\"}]}", articles.data().toString(), articles.toString());
    }

    private static JsonNode ready() {
        return sidecar.admin("GET", "/health/ready", null, Map.of()).expect(200).json();
    }

    private static void setConnections(boolean allowed) {
        TestPostgres.server().execute("ALTER DATABASE " + meta.name() + " ALLOW_CONNECTIONS " + allowed);
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + "; /health/ready: " + ready());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
