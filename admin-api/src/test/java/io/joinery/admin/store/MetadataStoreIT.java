package io.joinery.admin.store;

import io.joinery.admin.TestDatabase;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;
import io.vertx.pgclient.PgConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.joinery.admin.TestDatabase.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

class MetadataStoreIT {

    private static TestDatabase db;
    private static MetadataStore store;

    @BeforeAll
    static void open() {
        db = TestDatabase.create();
        store = new MetadataStore(db.vertx(), db.options(), 8);
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void empty() {
        store.current(); // creates the table
        db.execute("DELETE FROM joinery.metadata");
    }

    static Metadata tracking(String... tables) {
        List<TableConfig> configs = java.util.Arrays.stream(tables).map(TableConfig::of).toList();
        return new Metadata(1, List.of(new Source("default", null, false, configs)));
    }

    @Test
    void emptyStoreIsVersionZeroWithAnEmptyDocument() {
        assertEquals(new StoredMetadata(0, Metadata.empty()), store.current());
    }

    @Test
    void everyChangeIncrementsTheVersionAndIsReadBack() {
        WriteResult first = store.replace(tracking("author"), OptionalLong.empty());
        WriteResult second = store.replace(tracking("author", "article"), OptionalLong.of(1));
        assertEquals(new StoredMetadata(1, tracking("author")), first);
        assertEquals(new StoredMetadata(2, tracking("author", "article")), second);
        assertEquals(second, store.current(), "the store reads back what was written last");
    }

    @Test
    void aWriteExpectingAnOlderVersionIsAConflictAndChangesNothing() {
        store.replace(tracking("author"), OptionalLong.empty());
        store.replace(tracking("article"), OptionalLong.empty());
        assertEquals(new VersionConflict(1, 2), store.replace(tracking("tag"), OptionalLong.of(1)));
        assertEquals(new VersionConflict(0, 2), store.replace(tracking("tag"), OptionalLong.of(0)), "0 expects an empty store");
        assertEquals(new StoredMetadata(2, tracking("article")), store.current());
    }

    @Test
    void initializeSeedsOnlyAnEmptyStore() {
        assertEquals(new StoredMetadata(1, tracking("author")), store.initialize(tracking("author")));
        assertEquals(new StoredMetadata(1, tracking("author")), store.initialize(tracking("article")),
                "a second seed must not overwrite the stored document");
    }

    @Test
    void ofConcurrentWritersExpectingTheSameVersionExactlyOneWins() throws Exception {
        store.replace(tracking("author"), OptionalLong.empty());
        int writers = 8;
        CountDownLatch go = new CountDownLatch(1);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<WriteResult>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String table = "t" + i;
                results.add(executor.submit(() -> {
                    go.await();
                    return store.replace(tracking(table), OptionalLong.of(1));
                }));
            }
            go.countDown();
            long wins = 0;
            for (Future<WriteResult> result : results) {
                if (result.get() instanceof StoredMetadata) {
                    wins++;
                } else {
                    assertEquals(2, ((VersionConflict) result.get()).actual());
                }
            }
            assertEquals(1, wins, "exactly one of " + writers + " writers of version 1 may win");
        }
        assertEquals(2, store.current().resourceVersion());
    }

    @Test
    void everyChangeIsAnnouncedWithItsVersionOnCommit() throws Exception {
        BlockingQueue<String> payloads = new LinkedBlockingQueue<>();
        PgConnection listener = await(PgConnection.connect(db.vertx(), db.options()));
        try {
            listener.notificationHandler(n -> payloads.add(n.getChannel() + ":" + n.getPayload()));
            await(listener.query("LISTEN " + MetadataStore.CHANNEL).execute());
            store.initialize(tracking("author"));
            store.replace(tracking("article"), OptionalLong.of(1));
            store.replace(tracking("tag"), OptionalLong.of(1)); // a conflict: nothing is announced
            store.replace(tracking("tag"), OptionalLong.empty());
            assertEquals("joinery_metadata:1", payloads.poll(5, TimeUnit.SECONDS));
            assertEquals("joinery_metadata:2", payloads.poll(5, TimeUnit.SECONDS));
            assertEquals("joinery_metadata:3", payloads.poll(5, TimeUnit.SECONDS));
            assertNull(payloads.poll(200, TimeUnit.MILLISECONDS), "a refused write must not be announced");
        } finally {
            await(listener.close());
        }
    }

    @Test
    void sidecarsStartingTogetherCreateTheTableOnce() throws Exception {
        db.execute("DROP SCHEMA joinery CASCADE");
        List<MetadataStore> stores = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            stores.add(new MetadataStore(db.vertx(), db.options()));
        }
        CountDownLatch go = new CountDownLatch(1);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<StoredMetadata>> reads = new ArrayList<>();
            for (MetadataStore s : stores) {
                reads.add(executor.submit(() -> {
                    go.await();
                    return s.initialize(tracking("author"));
                }));
            }
            go.countDown();
            for (Future<StoredMetadata> read : reads) {
                assertEquals(new StoredMetadata(1, tracking("author")), read.get(), "every sidecar sees the one seeded document");
            }
        } finally {
            stores.forEach(MetadataStore::close);
        }
    }

    @Test
    void anUnreachableStoreFailsWithAStoreException() {
        var options = db.options().setPort(1); // nothing listens there
        try (MetadataStore unreachable = new MetadataStore(db.vertx(), options)) {
            MetadataStoreException e = org.junit.jupiter.api.Assertions.assertThrows(MetadataStoreException.class, unreachable::current);
            assertInstanceOf(String.class, e.getMessage());
        }
    }
}
