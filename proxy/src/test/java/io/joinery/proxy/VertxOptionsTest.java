package io.joinery.proxy;

import io.joinery.proxy.config.JoineryConfig;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Vert.x that runs the databases' pools, as the sidecar builds it from its settings. */
class VertxOptionsTest {

    @Test
    void oneThreadServesTheDatabasesUnlessToldOtherwise() {
        VertxOptions options = Sidecar.vertxOptions(JoineryConfig.load(Map.of()));
        assertEquals(1, options.getEventLoopPoolSize(), "Note [One thread for the databases' I/O]");
        assertEquals(3, Sidecar.vertxOptions(JoineryConfig.load(Map.of("JOINERY_DATABASE_IO_THREADS", "3"))).getEventLoopPoolSize());
    }

    @Test
    void poolsAreMeteredAndNoFilesAreCached() {
        VertxOptions options = Sidecar.vertxOptions(JoineryConfig.load(Map.of()));
        assertTrue(options.getMetricsOptions().isEnabled(), "the pools report to /metrics");
        assertFalse(options.getFileSystemOptions().isFileCachingEnabled(), "no cache under /tmp");
        assertFalse(options.getFileSystemOptions().isClassPathResolvingEnabled());
    }
}
