package io.joinery.policies.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CacheLifetimeTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void cacheControlGivesTheLifetime() {
        assertEquals(Optional.of(Duration.ofSeconds(60)), CacheLifetime.of("public, max-age=60", null, NOW));
        assertEquals(Optional.of(Duration.ofSeconds(30)), CacheLifetime.of("max-age=60, s-maxage=30", null, NOW), "s-maxage wins");
        assertEquals(Optional.of(Duration.ofSeconds(30)), CacheLifetime.of("s-maxage=30, max-age=60", null, NOW), "in any order");
        assertEquals(Optional.of(Duration.ZERO), CacheLifetime.of("no-store", "Sun, 06 Dec 2026 11:00:00 GMT", NOW));
        assertEquals(Optional.of(Duration.ZERO), CacheLifetime.of("max-age=60, no-cache", null, NOW));
    }

    @Test
    void expiresCountsWithoutCacheControl() {
        assertEquals(Optional.of(Duration.ofHours(1)), CacheLifetime.of(null, "Sun, 06 Dec 2026 11:00:00 GMT", NOW));
        assertEquals(Optional.of(Duration.ZERO), CacheLifetime.of(null, "Sun, 06 Dec 2026 09:00:00 GMT", NOW), "in the past");
        assertEquals(Optional.of(Duration.ZERO), CacheLifetime.of(null, "tomorrow", NOW), "invalid means expired");
        assertEquals(Optional.of(Duration.ofHours(1)), CacheLifetime.of("public", "Sun, 06 Dec 2026 11:00:00 GMT", NOW),
                "Cache-Control without a lifetime leaves it to Expires");
    }

    @Test
    void neitherMeansNoLifetime() {
        assertEquals(Optional.empty(), CacheLifetime.of(null, null, NOW));
        assertEquals(Optional.empty(), CacheLifetime.of("public", "", NOW));
    }
}
