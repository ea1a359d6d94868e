package io.joinery.proxy;

import io.joinery.admin.store.MetadataWatcher;

import java.util.Optional;

/**
 * Where the sidecar is in its life, for {@code /health/ready} and the gates of both listeners
 * (Note [Start and stop] in {@link Sidecar}): starting (waiting for the store or the databases, with
 * what it waits for), serving, or draining after SIGTERM. Whether each source answers is asked of
 * {@link EngineStates} on each probe.
 */
final class Readiness {

    private volatile String waitingFor = "starting";
    private volatile boolean loaded;
    private volatile boolean draining;
    private volatile MetadataWatcher watcher;

    /** Still starting: what the start waits for now, in the reason readiness gives. */
    void waitingFor(String what) {
        waitingFor = what;
    }

    /** The metadata is loaded and served; with the store, {@code watcherOrNull} follows its changes. */
    void loaded(MetadataWatcher watcherOrNull) {
        watcher = watcherOrNull;
        loaded = true;
    }

    /** SIGTERM: readiness says no from now on; requests are still served. */
    void draining() {
        draining = true;
    }

    /** Whether requests are served: from the end of the start on, through the drain. */
    boolean loaded() {
        return loaded;
    }

    boolean isDraining() {
        return draining;
    }

    /** Why the start has not finished; empty once loaded. */
    Optional<String> starting() {
        return loaded ? Optional.empty() : Optional.of(waitingFor);
    }

    /** The store's watcher, once loaded from the store; empty before, and when the metadata is a file. */
    Optional<MetadataWatcher> watcher() {
        return Optional.ofNullable(watcher);
    }
}
