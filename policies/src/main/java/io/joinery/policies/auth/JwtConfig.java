package io.joinery.policies.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import io.joinery.policies.Session;
import io.joinery.policies.SessionNames;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The JWT configuration, in the shape of Hasura's {@code HASURA_GRAPHQL_JWT_SECRET}
 * ({@code JOINERY_JWT_SECRET}), read once at start; a bad one stops the start with a message
 * naming the key ({@link IllegalArgumentException}).
 *
 * <pre>
 * {"type": "RS256", "key": "-----BEGIN PUBLIC KEY-----...",     or  "jwk_url": "https://.../jwks.json",
 *  "claims_namespace": "https://joinery.io/jwt/claims",         or  "claims_namespace_path": "$.joinery",
 *  "claims_format": "json" | "stringified_json",
 *  "claims_map": {"x-joinery-allowed-roles": {"path": "$.roles", "default": ["user"]},
 *                 "x-joinery-default-role": "user", "x-joinery-user-id": {"path": "$.sub"}},
 *  "audience": "app" | ["app", "other"], "issuer": "https://issuer", "allowed_skew": 5,
 *  "header": {"type": "Authorization"} | {"type": "Cookie", "name": "token"} | {"type": "CustomHeader", "name": "x-token"}}
 * </pre>
 */
public record JwtConfig(Keys keys, Set<String> audience, Optional<String> issuer, Claims claims, Duration allowedSkew,
                        TokenHeader header) {

    /** Where claims live when the configuration names no namespace. */
    public static final String DEFAULT_NAMESPACE = "https://joinery.io/jwt/claims";
    /** Hasura's default namespace, also looked in with the migration aid ({@link SessionNames#acceptHasura()}). */
    public static final String HASURA_NAMESPACE = "https://hasura.io/jwt/claims";
    public static final String ALLOWED_ROLES = "x-joinery-allowed-roles";
    public static final String DEFAULT_ROLE = "x-joinery-default-role";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KNOWN = Set.of("type", "key", "jwk_url", "claims_namespace", "claims_namespace_path",
            "claims_format", "claims_map", "audience", "issuer", "allowed_skew", "header");
    private static final Map<String, JWSAlgorithm> TYPES = types();

    private static Map<String, JWSAlgorithm> types() {
        Map<String, JWSAlgorithm> types = new LinkedHashMap<>();
        for (JWSAlgorithm algorithm : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512, JWSAlgorithm.RS256,
                JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.EdDSA)) {
            types.put(algorithm.getName(), algorithm);
        }
        types.put("Ed25519", JWSAlgorithm.EdDSA); // Hasura's name for it
        return types;
    }

    /** A fixed key of one algorithm, or a JWK set fetched from a URL. */
    public sealed interface Keys {
        record Fixed(JWSAlgorithm algorithm, JWSVerifier verifier) implements Keys {
        }

        record FromUrl(URI url) implements Keys {
        }
    }

    /** Where the session's claims are in a token. */
    public sealed interface Claims {
        /** An object (or, {@code stringified}, a string of JSON) at the first of {@code paths} present. */
        record Namespace(List<JsonPath> paths, boolean stringified) implements Claims {
            public Namespace {
                paths = List.copyOf(paths);
            }
        }

        /** Each session variable from its own place ({@code claims_map}). */
        record Mapped(Map<String, ClaimSource> variables) implements Claims {
            public Mapped {
                variables = Map.copyOf(variables);
            }
        }
    }

    /** One entry of {@code claims_map}: a literal, or a path into the token with an optional default. */
    public sealed interface ClaimSource {
        record Literal(JsonNode value) implements ClaimSource {
        }

        record AtPath(JsonPath path, Optional<JsonNode> fallback) implements ClaimSource {
        }
    }

    /** Where the token comes in. */
    public sealed interface TokenHeader {
        /** {@code Authorization: Bearer <token>}. */
        record Authorization() implements TokenHeader {
        }

        record Cookie(String name) implements TokenHeader {
        }

        /** The whole value of a header of its own. */
        record Custom(String name) implements TokenHeader {
        }
    }

    public static JwtConfig parse(String json, SessionNames names) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("JOINERY_JWT_SECRET is not valid JSON (line " + e.getLocation().getLineNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("JOINERY_JWT_SECRET must be a JSON object");
        }
        root.fieldNames().forEachRemaining(key -> {
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException("JOINERY_JWT_SECRET: unknown key '" + key + "' (known: " + String.join(", ", new java.util.TreeSet<>(KNOWN)) + ")");
            }
        });
        return new JwtConfig(keys(root), audience(root.path("audience")), text(root, "issuer"), claims(root, names),
                Duration.ofSeconds(skew(root.path("allowed_skew"))), header(root.path("header")));
    }

    private static Keys keys(JsonNode root) {
        Optional<String> key = text(root, "key");
        Optional<String> url = text(root, "jwk_url");
        if (key.isPresent() == url.isPresent()) {
            throw new IllegalArgumentException("JOINERY_JWT_SECRET needs either 'key' (with 'type') or 'jwk_url', not " + (key.isPresent() ? "both" : "neither"));
        }
        if (url.isPresent()) {
            URI uri;
            try {
                uri = URI.create(url.get());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("JOINERY_JWT_SECRET: jwk_url is not a URL");
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("JOINERY_JWT_SECRET: jwk_url must be an http(s) URL");
            }
            return new Keys.FromUrl(uri);
        }
        String type = text(root, "type").orElseThrow(() -> new IllegalArgumentException("JOINERY_JWT_SECRET: 'key' needs 'type' ("
                + String.join(", ", TYPES.keySet()) + ")"));
        JWSAlgorithm algorithm = TYPES.get(type);
        if (algorithm == null) {
            throw new IllegalArgumentException("JOINERY_JWT_SECRET: type '" + type + "' is not supported (" + String.join(", ", TYPES.keySet()) + ")");
        }
        try {
            return new Keys.Fixed(algorithm, JwtKeys.configured(algorithm, key.get()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("JOINERY_JWT_SECRET: " + e.getMessage());
        }
    }

    private static Claims claims(JsonNode root, SessionNames names) {
        Optional<String> namespace = text(root, "claims_namespace");
        Optional<String> path = text(root, "claims_namespace_path");
        JsonNode map = root.path("claims_map");
        if (namespace.isPresent() && path.isPresent()) {
            throw new IllegalArgumentException("JOINERY_JWT_SECRET: claims_namespace and claims_namespace_path cannot both be set");
        }
        if (!map.isMissingNode()) {
            if (namespace.isPresent() || path.isPresent() || root.has("claims_format")) {
                throw new IllegalArgumentException("JOINERY_JWT_SECRET: claims_map replaces claims_namespace, claims_namespace_path and claims_format");
            }
            return claimsMap(map, names);
        }
        String format = text(root, "claims_format").orElse("json");
        if (!format.equals("json") && !format.equals("stringified_json")) {
            throw new IllegalArgumentException("JOINERY_JWT_SECRET: claims_format must be json or stringified_json, not '" + format + "'");
        }
        List<JsonPath> paths = new ArrayList<>();
        if (path.isPresent()) {
            paths.add(parsePath(path.get(), "claims_namespace_path"));
        } else if (namespace.isPresent()) {
            paths.add(JsonPath.key(namespace.get()));
        } else {
            paths.add(JsonPath.key(DEFAULT_NAMESPACE));
            if (names.acceptHasura()) {
                paths.add(JsonPath.key(HASURA_NAMESPACE));
            }
        }
        return new Claims.Namespace(paths, format.equals("stringified_json"));
    }

    private static Claims claimsMap(JsonNode map, SessionNames names) {
        if (!map.isObject()) {
            throw new IllegalArgumentException("JOINERY_JWT_SECRET: claims_map must be an object");
        }
        Map<String, ClaimSource> variables = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : map.properties()) {
            String variable = names.canonical(entry.getKey());
            if (variable == null || variable.equals(Session.ROLE)) {
                throw new IllegalArgumentException("JOINERY_JWT_SECRET: claims_map key '" + entry.getKey()
                        + "' is not a session variable (x-joinery-*, not x-joinery-role)");
            }
            JsonNode value = entry.getValue();
            if (value.isObject()) {
                if (!value.path("path").isTextual()) {
                    throw new IllegalArgumentException("JOINERY_JWT_SECRET: claims_map." + entry.getKey() + " needs a 'path'");
                }
                variables.put(variable, new ClaimSource.AtPath(parsePath(value.path("path").textValue(), "claims_map." + entry.getKey()),
                        Optional.ofNullable(value.get("default"))));
            } else {
                variables.put(variable, new ClaimSource.Literal(value));
            }
        }
        for (String required : List.of(ALLOWED_ROLES, DEFAULT_ROLE)) {
            if (!variables.containsKey(required)) {
                throw new IllegalArgumentException("JOINERY_JWT_SECRET: claims_map needs " + required);
            }
        }
        return new Claims.Mapped(variables);
    }

    private static JsonPath parsePath(String text, String key) {
        try {
            return JsonPath.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("JOINERY_JWT_SECRET: " + key + ": " + e.getMessage());
        }
    }

    private static Set<String> audience(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return Set.of();
        }
        if (node.isTextual()) {
            return Set.of(node.textValue());
        }
        Set<String> audience = new java.util.LinkedHashSet<>();
        if (node.isArray()) {
            node.forEach(a -> audience.add(a.isTextual() ? a.textValue() : ""));
        }
        if (audience.isEmpty() || audience.contains("")) {
            throw new IllegalArgumentException("JOINERY_JWT_SECRET: audience must be a string or a list of strings");
        }
        return audience;
    }

    private static long skew(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return 0;
        }
        long seconds = node.isIntegralNumber() ? node.longValue() : node.isTextual() && node.textValue().matches("\\d{1,9}") ? Long.parseLong(node.textValue()) : -1;
        if (seconds < 0) {
            throw new IllegalArgumentException("JOINERY_JWT_SECRET: allowed_skew must be a whole number of seconds");
        }
        return seconds;
    }

    private static TokenHeader header(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return new TokenHeader.Authorization();
        }
        String type = node.path("type").asText("");
        Optional<String> name = Optional.ofNullable(node.get("name")).filter(JsonNode::isTextual).map(JsonNode::textValue).filter(n -> !n.isBlank());
        return switch (type) {
            case "Authorization" -> new TokenHeader.Authorization();
            case "Cookie" -> new TokenHeader.Cookie(name.orElseThrow(() -> new IllegalArgumentException("JOINERY_JWT_SECRET: header Cookie needs a 'name'")));
            case "CustomHeader" -> new TokenHeader.Custom(name.orElseThrow(() -> new IllegalArgumentException("JOINERY_JWT_SECRET: header CustomHeader needs a 'name'"))
                    .toLowerCase(java.util.Locale.ROOT));
            default -> throw new IllegalArgumentException("JOINERY_JWT_SECRET: header type must be Authorization, Cookie or CustomHeader, not '" + type + "'");
        };
    }

    private static Optional<String> text(JsonNode root, String key) {
        JsonNode node = root.path(key);
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual() || node.textValue().isBlank()) {
            throw new IllegalArgumentException("JOINERY_JWT_SECRET: " + key + " must be a non-empty string");
        }
        return Optional.of(node.textValue());
    }
}
