package io.joinery.policies.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import io.joinery.policies.AccessDenied;
import io.joinery.policies.RoleNames;
import io.joinery.policies.Session;
import io.joinery.policies.SessionNames;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sessions from JWTs, as Hasura's JWT mode: the token from its header ({@link JwtConfig.TokenHeader}),
 * verified ({@link JwtVerifier}), its claims read from the namespace or the {@code claims_map}; the
 * role is the request's {@code x-joinery-role} header when it is one of
 * {@code x-joinery-allowed-roles}, else {@code x-joinery-default-role}; the session variables are
 * the claims' other {@code x-joinery-*} values (the request's own {@code x-joinery-*} headers are
 * not: the token is what the issuer vouches for). A claim that is not a string becomes text: numbers
 * and booleans as written, a list as a Postgres array literal ({@code {"a","b"}}, for {@code _in}),
 * an object as JSON.
 */
public final class JwtAuthenticator implements Authenticator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JwtConfig config;
    private final SessionNames names;
    private final JwtVerifier verifier;
    private final Clock clock;
    private final VerifiedTokens tokens = new VerifiedTokens();

    /** {@code jwksRefetchFloor}: the shortest time between two fetches of a {@code jwk_url} (Note [JWK set refetch floor]). */
    public JwtAuthenticator(JwtConfig config, SessionNames names, Duration jwksRefetchFloor, Clock clock) {
        this.config = config;
        this.names = names;
        this.clock = clock;
        JwksSource jwks = config.keys() instanceof JwtConfig.Keys.FromUrl url ? new JwksSource(url.url(), jwksRefetchFloor, clock) : null;
        this.verifier = new JwtVerifier(config, jwks, clock);
    }

    /**
     * The caller's session, or empty when the request carries no token at all (it may then get the
     * unauthorized role). A token verified lately is not verified again (Note [Verified token cache]).
     *
     * @param headers the request's headers by lower-case name
     */
    public Optional<Session> authenticate(Map<String, String> headers) {
        return token(headers).map(token -> session(grant(token), headers));
    }

    /** How many verified tokens are kept (for tests and diagnostics). */
    int cachedTokens() {
        return tokens.size();
    }

    private VerifiedTokens.Grant grant(String token) {
        VerifiedTokens.Key key = VerifiedTokens.Key.of(token);
        long generation = verifier.keysGeneration();
        Instant now = clock.instant();
        VerifiedTokens.Grant kept = tokens.find(key, now, generation);
        if (kept != null) {
            return kept;
        }
        VerifiedTokens.Grant grant = grant(verifier.verify(token), generation);
        tokens.keep(key, grant, now);
        return grant;
    }

    /** What the refusal says when the request has no token and there is no unauthorized role. */
    public String missingCredentials() {
        return switch (config.header()) {
            case JwtConfig.TokenHeader.Authorization a -> "Missing 'Authorization' header in JWT authentication mode";
            case JwtConfig.TokenHeader.Cookie cookie -> "Missing cookie '" + cookie.name() + "' in JWT authentication mode";
            case JwtConfig.TokenHeader.Custom custom -> "Missing '" + custom.name() + "' header in JWT authentication mode";
        };
    }

    private Optional<String> token(Map<String, String> headers) {
        return switch (config.header()) {
            case JwtConfig.TokenHeader.Authorization a -> Optional.ofNullable(headers.get("authorization")).map(JwtAuthenticator::bearer);
            case JwtConfig.TokenHeader.Cookie cookie -> Optional.ofNullable(headers.get("cookie")).flatMap(value -> cookie(value, cookie.name()));
            case JwtConfig.TokenHeader.Custom custom -> Optional.ofNullable(headers.get(custom.name()))
                    .map(value -> value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : value.trim());
        };
    }

    /** The token of {@code Bearer <token>} (any whitespace around and between the two words). */
    private static String bearer(String value) {
        String trimmed = value.strip();
        int space = 0;
        while (space < trimmed.length() && !Character.isWhitespace(trimmed.charAt(space))) {
            space++;
        }
        String token = trimmed.substring(space).strip();
        if (!trimmed.regionMatches(true, 0, "Bearer", 0, space) || space != 6 || token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
            throw new AccessDenied(AccessDenied.Reason.INVALID_HEADERS, "Malformed Authorization header");
        }
        return token;
    }

    private static Optional<String> cookie(String header, String name) {
        for (String pair : header.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                return Optional.of(pair.substring(eq + 1).trim());
            }
        }
        return Optional.empty();
    }

    /** What a verified token vouches for, whatever the request asks; refused when its session claims are missing or malformed. */
    private VerifiedTokens.Grant grant(JWTClaimsSet set, long keysGeneration) {
        JsonNode token = JSON.valueToTree(set.toJSONObject());
        Map<String, JsonNode> claims = switch (config.claims()) {
            case JwtConfig.Claims.Namespace namespace -> namespaced(token, namespace);
            case JwtConfig.Claims.Mapped mapped -> mapped(token, mapped);
        };
        List<String> allowed = allowedRoles(claims.get(JwtConfig.ALLOWED_ROLES));
        String defaultRole = defaultRole(claims.get(JwtConfig.DEFAULT_ROLE));
        Map<String, String> variables = new LinkedHashMap<>();
        claims.forEach((name, value) -> {
            if (!name.equals(JwtConfig.ALLOWED_ROLES) && !name.equals(JwtConfig.DEFAULT_ROLE) && !name.equals(Session.ROLE)) {
                variables.put(name, text(value));
            }
        });
        Duration skew = config.allowedSkew();
        Instant notBefore = set.getNotBeforeTime() == null ? Instant.MIN : set.getNotBeforeTime().toInstant().minus(skew);
        Instant expires = set.getExpirationTime() == null ? Instant.MAX : set.getExpirationTime().toInstant().plus(skew);
        return new VerifiedTokens.Grant(allowed, defaultRole, variables, notBefore, expires, keysGeneration);
    }

    /** The request's session: the role it asks for with {@code x-joinery-role}, else the token's default, if the token allows it. */
    private Session session(VerifiedTokens.Grant grant, Map<String, String> headers) {
        String requested = names.requestedRole(headers);
        if (requested == null) {
            requested = grant.defaultRole();
        }
        Session known = grant.knownSession(requested);
        if (known != null) {
            return known;
        }
        if (!RoleNames.isValid(requested)) {
            throw new AccessDenied("x-joinery-role is not a valid role name (" + RoleNames.RULE + ")");
        }
        if (!grant.allows(requested)) {
            throw new AccessDenied("Your requested role is not in allowed roles");
        }
        return grant.session(requested);
    }

    /** The {@code x-joinery-*} claims of the namespace object (Hasura's spellings too, with the migration aid). */
    private Map<String, JsonNode> namespaced(JsonNode token, JwtConfig.Claims.Namespace namespace) {
        JsonNode found = null;
        for (JsonPath path : namespace.paths()) {
            found = path.find(token).orElse(null);
            if (found != null) {
                break;
            }
        }
        String where = namespace.paths().getFirst().steps().size() == 1 && namespace.paths().getFirst().steps().getFirst() instanceof String key
                ? "claims key: '" + key + "'" : "claims at claims_namespace_path: '" + namespace.paths().getFirst().text() + "'";
        if (found == null) {
            throw claimsError(where + " not found");
        }
        if (namespace.stringified()) {
            if (!found.isTextual()) {
                throw claimsError("expecting a string when claims_format is stringified_json");
            }
            try {
                found = JSON.readTree(found.textValue());
            } catch (JsonProcessingException e) {
                throw claimsError("expecting stringified json at: " + where);
            }
        }
        if (found == null || !found.isObject()) {
            throw claimsError("expecting a json object at: " + where);
        }
        Map<String, JsonNode> claims = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : found.properties()) {
            String variable = names.canonical(entry.getKey());
            if (variable != null && (names.prefer(entry.getKey()) || !claims.containsKey(variable))) {
                claims.put(variable, entry.getValue());
            }
        }
        return claims;
    }

    private static Map<String, JsonNode> mapped(JsonNode token, JwtConfig.Claims.Mapped mapped) {
        Map<String, JsonNode> claims = new LinkedHashMap<>();
        mapped.variables().forEach((variable, source) -> {
            Optional<JsonNode> value = switch (source) {
                case JwtConfig.ClaimSource.Literal literal -> Optional.of(literal.value());
                case JwtConfig.ClaimSource.AtPath at -> at.path().find(token).or(at::fallback);
            };
            if (value.isPresent()) {
                claims.put(variable, value.get());
            } else if (!variable.equals(JwtConfig.ALLOWED_ROLES) && !variable.equals(JwtConfig.DEFAULT_ROLE)) {
                throw claimsError("JWT claim from claims_map, " + variable + " not found");
            }
        });
        return claims;
    }

    private static List<String> allowedRoles(JsonNode value) {
        if (value == null) {
            throw missing(JwtConfig.ALLOWED_ROLES);
        }
        List<String> roles = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(role -> roles.add(role.isTextual() ? role.textValue() : null));
        }
        if (!value.isArray() || roles.contains(null)) {
            throw claimsError("invalid " + JwtConfig.ALLOWED_ROLES + "; should be a list of roles");
        }
        return roles;
    }

    private static String defaultRole(JsonNode value) {
        if (value == null) {
            throw missing(JwtConfig.DEFAULT_ROLE);
        }
        if (!value.isTextual()) {
            throw claimsError("invalid " + JwtConfig.DEFAULT_ROLE + "; should be a role");
        }
        return value.textValue();
    }

    /** A claim's value as session variable text. */
    private static String text(JsonNode value) {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(item.isNull() ? "NULL"
                    : "\"" + (item.isTextual() ? item.textValue() : item.toString()).replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
            return "{" + String.join(",", items) + "}";
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static AccessDenied missing(String claim) {
        return new AccessDenied(AccessDenied.Reason.JWT_MISSING_ROLE_CLAIMS, "JWT claim does not contain " + claim);
    }

    private static AccessDenied claimsError(String message) {
        return new AccessDenied(AccessDenied.Reason.JWT_INVALID_CLAIMS, message);
    }
}
