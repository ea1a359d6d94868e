package io.joinery.admin.store;

import io.joinery.admin.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.joinery.admin.store.MetadataStoreIT.tracking;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two sidecars on one store: each has its own store (pool) and watcher (listening connection). */
class MetadataWatcherIT {

    private static TestDatabase db;
    private MetadataStore storeA;
    private MetadataStore storeB;
    private MetadataWatcher watcherB;
    private final BlockingQueue<StoredMetadata> seenByB = new LinkedBlockingQueue<>();
    private final List<Long> versionsSeenByB = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void open() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void start() {
        storeA = new MetadataStore(db.vertx(), db.options());
        storeB = new MetadataStore(db.vertx(), db.options());
        storeA.current();
        db.execute("DELETE FROM joinery.metadata");
        storeA.initialize(tracking("author"));
        watcherB = new MetadataWatcher(storeB, stored -> {
            versionsSeenByB.add(stored.resourceVersion());
            seenByB.add(stored);
        }).start();
    }

    @AfterEach
    void stop() {
        watcherB.close();
        storeA.close();
        storeB.close();
    }

    @Test
    void startDeliversTheCurrentDocumentAndIsHealthy() throws Exception {
        assertEquals(new StoredMetadata(1, tracking("author")), seenByB.poll(5, TimeUnit.SECONDS));
        WatchStatus status = watcherB.status();
        assertTrue(status.healthy(), "a watcher that reads and listens is healthy: " + status);
        assertEquals(1, status.resourceVersion());
    }

    @Test
    void aChangeThroughOneSidecarReachesTheOther() throws Exception {
        seenByB.take();
        List<Long> latenciesMicros = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            StoredMetadata written = (StoredMetadata) storeA.replace(tracking("author", "t" + i), OptionalLong.empty());
            StoredMetadata seen = seenByB.poll(5, TimeUnit.SECONDS);
            long micros = (System.nanoTime() - start) / 1_000;
            assertEquals(written, seen, "change " + i + " must reach the other sidecar (within 5 s; latencies are reported, not asserted)");
            latenciesMicros.add(micros);
        }
        Collections.sort(latenciesMicros);
        System.out.printf("fleet sync latency (write committed -> other sidecar's consumer), 20 changes: median %d us, max %d us%n",
                latenciesMicros.get(10), latenciesMicros.get(19));
    }

    @Test
    void aBurstOfChangesIsDeliveredInOrderOnceEachEndingAtTheLast() throws Exception {
        long last = 0;
        for (int i = 0; i < 50; i++) {
            last = ((StoredMetadata) storeA.replace(tracking("t" + i), OptionalLong.empty())).resourceVersion();
        }
        long expected = last;
        awaitTrue(() -> watcherB.latest().map(StoredMetadata::resourceVersion).orElse(-1L) == expected, Duration.ofSeconds(5));
        List<Long> versions = List.copyOf(versionsSeenByB);
        for (int i = 1; i < versions.size(); i++) {
            assertTrue(versions.get(i) > versions.get(i - 1), "versions must only move forward, once each: " + versions);
        }
        assertEquals(last, versions.getLast());
    }

    @Test
    void aChangeMissedWhileTheListenerWasDisconnectedIsReadOnReconnect() throws Exception {
        seenByB.take();
        terminateListeners();
        StoredMetadata written = (StoredMetadata) storeA.replace(tracking("article"), OptionalLong.empty());
        StoredMetadata seen = seenByB.poll(5, TimeUnit.SECONDS);
        assertEquals(written, seen, "the change made while reconnecting must arrive after the reconnect");
        awaitTrue(() -> watcherB.status().healthy(), Duration.ofSeconds(5));
    }

    @Test
    void whileTheStoreIsUnreachableTheLastDocumentStaysAndTheStatusSaysWhy() throws Exception {
        seenByB.take();
        Instant reopened;
        storeA.current(); // keep a pooled connection of sidecar A for writing during the outage
        db.executeOnServer("ALTER DATABASE " + db.name() + " ALLOW_CONNECTIONS false");
        try {
            terminateListeners();
            awaitTrue(() -> !watcherB.status().healthy(), Duration.ofSeconds(5));
            WatchStatus down = watcherB.status();
            assertNotNull(down.lastError(), "an unhealthy status names its error");
            assertEquals(1, down.resourceVersion(), "the last good version is still served");
            assertEquals(1, watcherB.latest().orElseThrow().resourceVersion());

            storeA.replace(tracking("article"), OptionalLong.empty());
            Thread.sleep(500);
            assertFalse(watcherB.status().healthy(), "still disconnected: " + watcherB.status());
            assertEquals(down.since(), watcherB.status().since(), "the health has not changed since it was lost");
        } finally {
            reopened = Instant.now();
            db.executeOnServer("ALTER DATABASE " + db.name() + " ALLOW_CONNECTIONS true");
        }
        StoredMetadata seen = seenByB.poll(5, TimeUnit.SECONDS);
        assertEquals(new StoredMetadata(2, tracking("article")), seen, "the change made during the outage arrives after it");
        awaitTrue(() -> watcherB.status().healthy(), Duration.ofSeconds(5));
        WatchStatus recovered = watcherB.status();
        assertFalse(recovered.since().isBefore(reopened), "since is when the watcher became healthy again, after the store reopened at "
                + reopened + ": " + recovered);
    }

    private static void terminateListeners() {
        db.executeOnServer("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db.name()
                + "' AND application_name = '" + MetadataWatcher.APPLICATION_NAME + "'");
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(20);
        }
    }
}
