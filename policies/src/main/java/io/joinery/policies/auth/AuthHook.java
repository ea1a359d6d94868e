package io.joinery.policies.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.joinery.policies.AccessDenied;
import io.joinery.policies.RoleNames;
import io.joinery.policies.Session;
import io.joinery.policies.SessionNames;
import io.joinery.policies.SessionResolver;
import io.joinery.policies.Sha256;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Sessions from an authentication hook, as Hasura's webhook mode ({@code JOINERY_AUTH_HOOK},
 * {@code JOINERY_AUTH_HOOK_MODE}): GET sends the request's headers (but the ones about the
 * transport, as Hasura), POST sends {@code {"headers": {...}, "request": {...}}}. A 200 answer is
 * a JSON object whose {@code x-joinery-*} values are the session ({@code x-joinery-role} required);
 * 401 refuses the request ({@code access-denied}); anything else, or no answer, is the server's
 * failure (500 {@code unexpected}, logged; the client learns nothing of the hook).
 *
 * <p>Note [Auth hook cache]: a 200 answer is kept as long as its {@code Cache-Control} or
 * {@code Expires} says (keys of the answer's JSON, as Hasura reads them, or its HTTP headers),
 * for the same credentials: the key is a SHA-256 of every header sent to the hook except the
 * per-request ones ({@link #NOT_IN_KEY}: trace context and request ids), and of the request body
 * for POST, whose answer may depend on the operation. Without those headers nothing is kept, and
 * refusals never are. At most {@link #MAX_ENTRIES} answers are kept; past that, expired ones are
 * dropped, and new ones are not kept until there is room.
 */
public final class AuthHook implements Authenticator {

    private static final System.Logger LOGGER = System.getLogger(AuthHook.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_ENTRIES = 10_000;
    private static final long MAX_ANSWER_BYTES = 64 * 1024;
    /** Hasura's {@code commonClientHeadersIgnored}, and the admin secret (which never reaches the hook). */
    private static final Set<String> NOT_FORWARDED = Set.of("content-length", "content-md5", "user-agent", "host", "origin",
            "referer", "accept", "accept-encoding", "accept-language", "accept-datetime", "cache-control", "connection", "dnt",
            "content-type", "transfer-encoding", "upgrade", "keep-alive", "te", "trailer", "expect",
            SessionResolver.ADMIN_SECRET_HEADER, "x-hasura-admin-secret");
    private static final Set<String> NOT_IN_KEY = Set.of("traceparent", "tracestate", "baggage", "x-request-id", "x-b3-traceid",
            "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled");

    /** GET or POST, as Hasura's {@code HASURA_GRAPHQL_AUTH_HOOK_MODE}. */
    public enum Mode { GET, POST }

    private final URI url;
    private final Mode mode;
    private final SessionNames names;
    private final Clock clock;
    private final WebClient client;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Session session, Instant expires) {
    }

    public AuthHook(URI url, Mode mode, SessionNames names, Duration timeout, Clock clock) {
        this.url = url;
        this.mode = mode;
        this.names = names;
        this.clock = clock;
        this.client = WebClient.builder().connectTimeout(timeout).readTimeout(timeout).followRedirects(false).build();
    }

    /**
     * The caller's session, as the hook answers (or as it answered, within its cache lifetime).
     *
     * @param headers the request's headers by lower-case name
     * @param request the GraphQL request body, sent along by a POST hook; null when it is not JSON
     */
    public Session authenticate(Map<String, String> headers, Supplier<JsonNode> request) {
        Map<String, String> forwarded = new TreeMap<>();
        headers.forEach((name, value) -> {
            if (!NOT_FORWARDED.contains(name)) {
                forwarded.put(name, value);
            }
        });
        JsonNode body = mode == Mode.POST ? request.get() : null;
        String key = key(forwarded, body);
        Instant now = clock.instant();
        Cached cached = cache.get(key);
        if (cached != null && now.isBefore(cached.expires)) {
            return cached.session;
        }
        Answer answer = ask(forwarded, body);
        Session session = session(answer.json);
        answer.lifetime(now).filter(d -> !d.isZero()).ifPresent(lifetime -> keep(key, new Cached(session, now.plus(lifetime)), now));
        return session;
    }

    /** How many answers the cache holds (for tests and diagnostics). */
    public int cachedAnswers() {
        return cache.size();
    }

    private record Answer(JsonNode json, String cacheControl, String expires) {
        Optional<Duration> lifetime(Instant now) {
            String control = json.path("Cache-Control").isTextual() ? json.path("Cache-Control").textValue() : cacheControl;
            String expiry = json.path("Expires").isTextual() ? json.path("Expires").textValue() : expires;
            return CacheLifetime.of(control, expiry, now);
        }
    }

    private Answer ask(Map<String, String> forwarded, JsonNode body) {
        HttpClientRequest call = mode == Mode.GET ? client.get(url.toString()) : client.post(url.toString());
        call.header(HeaderNames.ACCEPT, "application/json");
        if (mode == Mode.GET) {
            forwarded.forEach((name, value) -> call.header(HeaderNames.create(name), value));
        }
        try (HttpClientResponse response = mode == Mode.GET ? call.request()
                : call.header(HeaderNames.CONTENT_TYPE, "application/json").submit(postBody(forwarded, body))) {
            int status = response.status().code();
            if (status == 401) {
                throw new AccessDenied("Authentication hook unauthorized this request");
            }
            if (status != 200) {
                throw failed("answered HTTP " + status);
            }
            if (response.headers().contentLength().orElse(0) > MAX_ANSWER_BYTES) {
                throw failed("answered more than " + MAX_ANSWER_BYTES + " bytes");
            }
            JsonNode json;
            try {
                json = JSON.readTree(response.as(byte[].class));
            } catch (IOException e) {
                throw failed("answered with a body that is not JSON");
            }
            if (json == null || !json.isObject()) {
                throw failed("answered with a body that is not a JSON object");
            }
            return new Answer(json, response.headers().first(HeaderNames.CACHE_CONTROL).orElse(null),
                    response.headers().first(HeaderNames.EXPIRES).orElse(null));
        } catch (AccessDenied e) {
            throw e;
        } catch (RuntimeException e) {
            throw failed("could not be reached: " + e.getMessage());
        }
    }

    private static byte[] postBody(Map<String, String> forwarded, JsonNode request) {
        ObjectNode body = JSON.createObjectNode();
        body.set("headers", JSON.valueToTree(forwarded));
        body.set("request", request);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Session session(JsonNode answer) {
        Map<String, String> values = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : answer.properties()) {
            if (entry.getValue().isValueNode() && !entry.getValue().isNull()) {
                values.put(entry.getKey(), entry.getValue().asText());
            }
        }
        Map<String, String> variables = names.variables(values);
        String role = variables.get(Session.ROLE);
        if (role == null) {
            throw failed("answered without " + Session.ROLE);
        }
        if (!RoleNames.isValid(role)) {
            throw failed("answered a role that is not a valid role name (" + RoleNames.RULE + ")");
        }
        return new Session(role, false, variables);
    }

    private void keep(String key, Cached entry, Instant now) {
        if (cache.size() >= MAX_ENTRIES) {
            cache.values().removeIf(cached -> !now.isBefore(cached.expires));
        }
        if (cache.size() < MAX_ENTRIES) {
            cache.put(key, entry);
        }
    }

    private static String key(Map<String, String> forwarded, JsonNode body) {
        MessageDigest digest = Sha256.digest();
        forwarded.forEach((name, value) -> {
            if (!NOT_IN_KEY.contains(name)) {
                digest.update((name + "\u0000" + value + "\u0000").getBytes(StandardCharsets.UTF_8));
            }
        });
        if (body != null) {
            digest.update(body.toString().getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The hook failed: the client gets 500 without details; the log says what happened. */
    private AccessDenied failed(String what) {
        LOGGER.log(System.Logger.Level.WARNING, "the authentication hook " + url + " " + what);
        return new AccessDenied(AccessDenied.Reason.UNEXPECTED, "the authentication hook failed");
    }
}
