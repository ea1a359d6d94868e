package io.joinery.admin.store;

import io.vertx.core.Future;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Follows the {@link MetadataStore} for one sidecar: {@code LISTEN joinery_metadata} on a dedicated
 * connection (a Vert.x {@link PgSubscriber}, which reconnects), and a read of the current document
 * after every (re)connect, so a notification missed while disconnected is never a lost change. A
 * slow poll ({@code pollInterval}) covers a connection that died silently.
 *
 * <p>Note [Notifications that do not arrive]: a connection can listen and yet never be notified:
 * behind a pooler in transaction mode (PgBouncer's usual setting) the {@code LISTEN} runs on
 * whichever server connection the pooler lends for it, and notifications go to that server
 * connection, not to this client. So after each {@code LISTEN} the watcher notifies itself, through
 * the store's pool, with a probe of its own ({@code probe <id> <n>}); if the probe has not come back
 * within {@link #PROBE_WAIT}, it says so (a warning, and {@link WatchStatus#notified()} false) and
 * reads the store every {@link #UNNOTIFIED_POLL} instead of every {@code pollInterval}, so a
 * change reaches it within seconds rather than within the slow poll's 30. Other watchers ignore
 * probes that are not theirs.
 *
 * <p>{@code onChange} is called from one thread at a time, once per version, only when the version
 * moves forward; the first successful read is delivered too (version 0 for an empty store). While the
 * store is unreachable the last good document stays in {@link #latest()} and {@link #status()} says
 * why; each change of health is logged once.
 */
public final class MetadataWatcher implements AutoCloseable {

    /** The {@code application_name} of the listening connection, to find it in {@code pg_stat_activity}. */
    public static final String APPLICATION_NAME = "joinery-metadata-listener";

    private static final System.Logger LOG = System.getLogger(MetadataWatcher.class.getName());
    private static final Duration UNHEALTHY_POLL = Duration.ofSeconds(1);
    private static final long MAX_RECONNECT_DELAY_MS = 2_000;
    /** How long a probe may take to come back before notifications count as not arriving. */
    static final Duration PROBE_WAIT = Duration.ofSeconds(2);
    /** How often the store is read while notifications do not arrive. */
    public static final Duration UNNOTIFIED_POLL = Duration.ofSeconds(2);
    private static final String PROBE = "probe ";

    private final MetadataStore store;
    private final Consumer<StoredMetadata> onChange;
    private final Duration pollInterval;
    private final PgSubscriber subscriber;
    private final Semaphore wake = new Semaphore(0);
    private volatile StoredMetadata latest;
    private volatile boolean closed;
    private Thread loop;
    private final String probeId = PROBE + UUID.randomUUID() + " ";
    private final AtomicLong probesSent = new AtomicLong();
    private volatile long probesAnswered;

    // health, guarded by this
    private String listenError = "not listening yet";
    private String readError;
    private WatchStatus status = new WatchStatus(false, listenError, Instant.now(), -1, true);
    private boolean started;
    private boolean unnotified;

    public MetadataWatcher(MetadataStore store, Consumer<StoredMetadata> onChange, Duration pollInterval) {
        this.store = store;
        this.onChange = onChange;
        this.pollInterval = pollInterval;
        PgConnectOptions options = store.connectOptions().addProperty("application_name", APPLICATION_NAME);
        this.subscriber = PgSubscriber.subscriber(store.vertx(), options).reconnectPolicy(this::reconnectDelay);
        subscriber.channel(MetadataStore.CHANNEL)
                .subscribeHandler(v -> onListening())
                .handler(this::onNotification);
    }

    /** A watcher that also polls every 30 seconds. */
    public MetadataWatcher(MetadataStore store, Consumer<StoredMetadata> onChange) {
        this(store, onChange, Duration.ofSeconds(30));
    }

    /**
     * Reads the current document (delivering it to {@code onChange} on this thread), starts
     * listening, and returns once the listening connection is up or has failed; it keeps retrying
     * in the background either way.
     */
    public MetadataWatcher start() {
        refresh();
        connect().toCompletionStage().toCompletableFuture()
                .exceptionally(e -> null)
                .completeOnTimeout(null, 5, TimeUnit.SECONDS)
                .join();
        synchronized (this) {
            started = true;
            log(status);
        }
        loop = Thread.ofVirtual().name("joinery-metadata-watcher").start(this::run);
        return this;
    }

    /** The last document delivered, empty until a read succeeded. */
    public Optional<StoredMetadata> latest() {
        return Optional.ofNullable(latest);
    }

    public synchronized WatchStatus status() {
        return status;
    }

    @Override
    public void close() {
        closed = true;
        MetadataStore.await(subscriber.close());
        wake.release();
        if (loop != null) {
            try {
                loop.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Future<Void> connect() {
        // connect() succeeds once LISTEN has run; the subscribe handler (a re-read) comes a little later.
        return subscriber.connect().onSuccess(v -> setListenError(null)).onFailure(e -> {
            setListenError("cannot listen for metadata changes: " + MetadataStore.message(e));
            if (subscriber.actualConnection() != null) {
                return; // connected but LISTEN failed: the subscriber closes and reconnects by itself
            }
            // A failed connect leaves the subscriber open but idle: close it and try again.
            subscriber.close().onComplete(v -> {
                if (!closed) {
                    store.vertx().setTimer(MAX_RECONNECT_DELAY_MS, t -> connect());
                }
            });
        });
    }

    private long reconnectDelay(int attempt) {
        if (attempt == 0) {
            setListenError("lost the connection listening for metadata changes");
        }
        return Math.min(100L << Math.min(attempt, 5), MAX_RECONNECT_DELAY_MS);
    }

    private void onListening() {
        setListenError(null);
        wake.release();
        sendProbe();
    }

    /** Notifies this watcher through the store's pool, and says so if that does not come back in time. */
    private void sendProbe() {
        long probe = probesSent.incrementAndGet();
        store.probe(probeId + probe).onSuccess(sent -> store.vertx().setTimer(PROBE_WAIT.toMillis(), timer -> {
            if (!closed && probesAnswered < probe) {
                setUnnotified(true);
            }
        }));
    }

    private void onNotification(String payload) {
        if (payload.startsWith(PROBE)) {
            if (payload.startsWith(probeId)) {
                try {
                    probesAnswered = Math.max(probesAnswered, Long.parseLong(payload.substring(probeId.length())));
                } catch (NumberFormatException e) {
                    return;
                }
                setUnnotified(false);
            }
            return; // another watcher's probe
        }
        StoredMetadata current = latest;
        try {
            if (current != null && Long.parseLong(payload.trim()) <= current.resourceVersion()) {
                return;
            }
        } catch (NumberFormatException e) {
            // not ours to judge: read the store
        }
        wake.release();
    }

    private void run() {
        while (!closed) {
            WatchStatus now = status();
            Duration wait = !now.healthy() ? UNHEALTHY_POLL : now.notified() ? pollInterval : UNNOTIFIED_POLL;
            try {
                wake.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            wake.drainPermits();
            if (!closed) {
                refresh();
            }
        }
    }

    /** Reads the store and delivers a newer version; only the caller of start() and then the loop thread call this. */
    private void refresh() {
        try {
            StoredMetadata current = latest;
            if (current == null || store.version() > current.resourceVersion()) {
                deliver(store.current());
            }
            setReadError(null);
        } catch (MetadataStoreException e) {
            setReadError(e.getMessage());
        }
    }

    private void deliver(StoredMetadata next) {
        StoredMetadata current = latest;
        if (current != null && next.resourceVersion() <= current.resourceVersion()) {
            return;
        }
        latest = next;
        try {
            onChange.accept(next);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "applying metadata resource version " + next.resourceVersion() + " failed", e);
        }
    }

    private synchronized void setListenError(String error) {
        listenError = error;
        updateStatus();
    }

    private synchronized void setReadError(String error) {
        readError = error;
        updateStatus();
    }

    private synchronized void setUnnotified(boolean value) {
        if (unnotified == value) {
            return;
        }
        unnotified = value;
        updateStatus();
        if (value) {
            LOG.log(Level.WARNING, "notifications of metadata changes do not reach this sidecar (a pooler in transaction mode"
                    + " between it and Postgres?): the store is read every {0} s instead; connect the metadata store to"
                    + " Postgres itself, or to a pool in session mode, for changes within milliseconds", UNNOTIFIED_POLL.toSeconds());
            wake.release();
        } else {
            LOG.log(Level.INFO, "notifications of metadata changes reach this sidecar again");
        }
    }

    private void updateStatus() {
        String error = listenError != null ? listenError : readError;
        boolean healthy = error == null;
        long version = latest == null ? -1 : latest.resourceVersion();
        if (healthy == status.healthy()) {
            status = new WatchStatus(healthy, error, status.since(), version, !unnotified);
            return;
        }
        status = new WatchStatus(healthy, error, Instant.now(), version, !unnotified);
        if (!healthy) {
            wake.release(); // poll every second until healthy again
        }
        if (started) {
            log(status);
        }
    }

    private static void log(WatchStatus status) {
        long version = status.resourceVersion();
        if (status.healthy()) {
            LOG.log(Level.INFO, "following metadata changes; serving resource version {0}", version);
        } else {
            LOG.log(Level.WARNING, "metadata store unreachable ({0}); {1}", status.lastError(),
                    version < 0 ? "no metadata to serve yet" : "still serving resource version " + version);
        }
    }
}
