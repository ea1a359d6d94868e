package io.joinery.it.admin;

import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.StatementRecorder;
import io.joinery.it.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.joinery.it.support.Polling.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two sidecars on one metadata store, one of them through a proxy that loses Postgres' notifications,
 * as a pooler in transaction mode does (PgBouncer's usual setting: its LISTEN succeeds, and nothing
 * arrives). That sidecar sees its probe not come back, says so in {@code /health/ready}, and reads the
 * store every 2 s, so a change made through the other reaches it within seconds, not at the slow
 * poll's 30 (Note [Notifications that do not arrive] in {@code MetadataWatcher}).
 */
class LostNotificationsTest {

    static final String METADATA = """
            {"version": 1, "sources": [{"name": "default", "tables": [{"table": "author"}, {"table": "article"}]}]}
            """;

    static TestDatabase data;
    static TestDatabase meta;
    static StatementRecorder lossy;
    static StoreSidecar direct;
    static StoreSidecar behind;

    @BeforeAll
    static void start() {
        data = TestDatabase.create("lost_notify_data").load("/it/schema.sql");
        meta = TestDatabase.create("lost_notify_meta");
        lossy = StatementRecorder.withoutNotifications(meta.url());
        direct = StoreSidecar.start(data.url(), Map.of("JOINERY_METADATA_DATABASE_URL", meta.url()));
        behind = StoreSidecar.start(data.url(), Map.of("JOINERY_METADATA_DATABASE_URL", lossy.url(meta.url())));
    }

    @AfterAll
    static void stop() {
        try (StoreSidecar first = direct; StoreSidecar second = behind; StatementRecorder proxy = lossy;
             TestDatabase one = data; TestDatabase two = meta) {
            // closes the sidecars, the proxy, then the databases
        }
    }

    @Test
    void aSidecarWhoseNotificationsAreLostSaysSoAndTakesChangesWithinSeconds() throws Exception {
        assertTrue(waitUntil(() -> metadataStore(behind).startsWith("reachable; notifications of changes do not arrive")),
                "the sidecar behind the proxy says its notifications do not arrive: " + metadataStore(behind));
        assertEquals("reachable", metadataStore(direct), "the probes of the sidecar on Postgres itself come back");

        long version = direct.putDocument(METADATA).expect(200).etagVersion();
        DriftTest.awaitVersion(direct.sidecar(), version);
        DriftTest.awaitVersion(behind.sidecar(), version); // within 5 s: the slow poll alone would take up to 30
        GraphqlResponse articles = behind.graphql().query("{ article(limit: 1, order_by: {id: asc}) { title } }");
        assertEquals("{\"article\":[{\"title\":\"Article 1\"}]}", articles.data().toString(), articles.toString());
    }

    private static String metadataStore(StoreSidecar sidecar) {
        return sidecar.admin("GET", "/health/ready", null, Map.of()).expect(200).json().path("metadata_store").asText();
    }
}
