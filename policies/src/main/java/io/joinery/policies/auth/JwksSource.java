package io.joinery.policies.auth;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The JWK set of {@code jwk_url}, fetched with the Helidon WebClient and kept as long as its
 * answer's {@code Cache-Control}/{@code Expires} allow ({@link CacheLifetime}; without either,
 * until a token names a key it does not have).
 *
 * <p>Note [JWK set refetch floor]: a token whose {@code kid} is not in the set makes the set be
 * fetched again (the issuer rotated its keys), but never sooner than {@code floor} after the last
 * fetch, whatever the tokens or the answers' cache headers say: otherwise anyone could make the
 * sidecar hammer the issuer by sending tokens with made-up {@code kid}s. A fetch that fails keeps
 * the last good set (logged); without one, tokens are refused as {@code invalid-jwt}. Concurrent
 * requests that need a fetch make ONE.
 */
public final class JwksSource {

    private static final System.Logger LOGGER = System.getLogger(JwksSource.class.getName());
    private static final long MAX_BYTES = 1 << 20;

    private final URI url;
    private final Duration floor;
    private final Clock clock;
    private final WebClient client;
    private volatile Snapshot current;
    private volatile Instant lastAttempt = Instant.EPOCH;
    private final ReentrantLock fetching = new ReentrantLock();

    /** A fetched set; {@code generation} moves only when a fetch brings a set that differs from the previous one. */
    private record Snapshot(JWKSet keys, Instant expires, long generation) {
    }

    public JwksSource(URI url, Duration floor, Clock clock) {
        this.url = url;
        this.floor = floor;
        this.clock = clock;
        this.client = WebClient.builder().connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(5))
                .followRedirects(false).build();
    }

    /** The keys that may have signed a token with this header: by its {@code kid} when it has one; empty when the set has none. */
    List<JWK> candidates(JWSHeader header) {
        Snapshot snapshot = fresh();
        List<JWK> found = match(snapshot, header);
        if (found.isEmpty()) {
            found = match(refresh(snapshot), header);
        }
        return found;
    }

    /**
     * The generation of the current set (-1 before any), refreshed first when its lifetime ended:
     * what a cached verification is valid for (Note [Verified token cache]).
     */
    long generation() {
        Snapshot snapshot = fresh();
        return snapshot == null ? -1 : snapshot.generation;
    }

    private Snapshot fresh() {
        Snapshot snapshot = current;
        if (snapshot == null || !clock.instant().isBefore(snapshot.expires)) {
            snapshot = refresh(snapshot);
        }
        return snapshot;
    }

    /** Whether a set was ever fetched (else tokens cannot be verified at all). */
    boolean available() {
        return current != null;
    }

    private static List<JWK> match(Snapshot snapshot, JWSHeader header) {
        if (snapshot == null) {
            return List.of();
        }
        String kid = header.getKeyID();
        return snapshot.keys.getKeys().stream()
                .filter(key -> kid == null || kid.equals(key.getKeyID()))
                .filter(key -> key.getKeyUse() == null || "sig".equals(key.getKeyUse().identifier()))
                .toList();
    }

    /**
     * Fetches the set again unless another request just did, or the floor forbids it; returns what
     * is current. A lock rather than {@code synchronized}: the fetch blocks on the network, which
     * would pin a virtual thread to its carrier on JDK 21.
     */
    private Snapshot refresh(Snapshot seen) {
        fetching.lock();
        try {
            if (current != seen) {
                return current;
            }
            Instant now = clock.instant();
            if (now.isBefore(lastAttempt.plus(floor))) {
                return current;
            }
            lastAttempt = now;
            try {
                current = fetch(now, current);
            } catch (RuntimeException e) {
                LOGGER.log(System.Logger.Level.WARNING, "cannot fetch the JWK set from " + url + ": " + e.getMessage()
                        + (current == null ? "; tokens are refused until it can" : "; keeping the last good set"));
            }
            return current;
        } finally {
            fetching.unlock();
        }
    }

    private Snapshot fetch(Instant now, Snapshot previous) {
        try (HttpClientResponse response = client.get(url.toString()).header(HeaderNames.ACCEPT, "application/json").request()) {
            if (response.status().code() != 200) {
                throw new IllegalStateException("HTTP " + response.status().code());
            }
            if (response.headers().contentLength().orElse(0) > MAX_BYTES) {
                throw new IllegalStateException("the answer is larger than " + MAX_BYTES + " bytes");
            }
            String body = response.as(String.class);
            JWKSet keys;
            try {
                keys = JWKSet.parse(body);
            } catch (java.text.ParseException e) {
                throw new IllegalStateException("the answer is not a JWK set: " + e.getMessage(), e);
            }
            Optional<Duration> lifetime = CacheLifetime.of(response.headers().first(HeaderNames.CACHE_CONTROL).orElse(null),
                    response.headers().first(HeaderNames.EXPIRES).orElse(null), now);
            Instant expires = lifetime.map(d -> now.plus(d.compareTo(floor) < 0 ? floor : d)).orElse(Instant.MAX);
            long generation = previous == null ? 0
                    : previous.keys.toString().equals(keys.toString()) ? previous.generation : previous.generation + 1;
            return new Snapshot(keys, expires, generation);
        }
    }
}
