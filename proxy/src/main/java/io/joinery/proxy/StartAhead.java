package io.joinery.proxy;

import io.helidon.webserver.http.HttpRouting;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.proxy.config.JoineryConfig;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The parts of a start that need nothing else, begun on threads of their own as the start begins
 * (Note [Start ahead]): reading the metadata file, and Helidon's service registry.
 */
final class StartAhead {

    // Note [Start ahead]
    // ~~~~~~~~~~~~~~~~~~
    // Start to ready is mostly one thread's work (measured with JFR, the AOT cache in use: of the main
    // thread's samples, a quarter creating Telemetry, a quarter Helidon's first routing builder, which
    // discovers its service registry, and a fifth Jackson binding the metadata file to its records).
    // Two of them depend on nothing the start makes, so they run beside it: the metadata file is read
    // and bound while Telemetry, Vert.x and the listeners are made, and Helidon's registry is
    // discovered (class initialisation, which the JVM makes safe to race) while Telemetry is. The
    // start waits for the file where it needs it, and a bad file fails the start as before.

    private static final Executor AHEAD = task -> Thread.ofPlatform().daemon().name("joinery-start-ahead").start(task);

    private final CompletableFuture<Metadata> metadata;

    private StartAhead(CompletableFuture<Metadata> metadata) {
        this.metadata = metadata;
    }

    static StartAhead begin(JoineryConfig config) {
        AHEAD.execute(HttpRouting::builder);
        Path file = config.metadata().orElse(null);
        return new StartAhead(file == null ? null : CompletableFuture.supplyAsync(() -> MetadataCodec.read(file), AHEAD));
    }

    /** The metadata file, read; its {@code MetadataException} if it cannot be. */
    Metadata metadataFile() {
        try {
            return metadata.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
