package io.joinery.policies;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.policies.auth.AuthHook;
import io.joinery.policies.auth.Authenticator;
import io.joinery.policies.auth.JwtAuthenticator;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Resolves a request's {@link Session} from its headers, as Hasura does:
 * <ul>
 * <li>without a configured admin secret, every caller is admin and may pick a role with
 *     {@code x-joinery-role};</li>
 * <li>a caller presenting the secret ({@code X-Joinery-Admin-Secret}, compared by
 *     {@link AdminSecret}) is admin, and may act as a role with its {@code x-joinery-*} headers as
 *     session variables; a wrong secret is refused, whatever else the request carries;</li>
 * <li>any other caller gets its session from the {@link Authenticator} when one is configured (a
 *     JWT, or the authentication hook); without credentials of the JWT's kind, or without an
 *     authenticator, it gets the unauthorized role if one is configured, else is refused.</li>
 * </ul>
 * Callers of the unauthorized role keep only their role: their own {@code x-joinery-*} headers are
 * ignored unless {@code trustUnauthorizedHeaders}, since anyone can send {@code x-joinery-user-id},
 * and a permission filter on it would see what the caller claims (Hasura trusts them, which has
 * bitten its users). A role name must be valid ({@link RoleNames}). With the migration aid
 * ({@link SessionNames#acceptHasura()}) {@code x-hasura-*} headers count as their
 * {@code x-joinery-*} names.
 */
public final class SessionResolver {

    public static final String ADMIN_SECRET_HEADER = "x-joinery-admin-secret";

    private final AdminSecret adminSecret;
    private final Optional<String> unauthorizedRole;
    private final boolean trustUnauthorizedHeaders;
    private final SessionNames names;
    private final Optional<Authenticator> authenticator;

    public SessionResolver(Optional<String> adminSecret, Optional<String> unauthorizedRole) {
        this(adminSecret, unauthorizedRole, false);
    }

    /** {@code trustUnauthorizedHeaders}: callers of the unauthorized role keep their {@code x-joinery-*} headers as session variables. */
    public SessionResolver(Optional<String> adminSecret, Optional<String> unauthorizedRole, boolean trustUnauthorizedHeaders) {
        this(new AdminSecret(adminSecret), unauthorizedRole, trustUnauthorizedHeaders, new SessionNames(false), Optional.empty());
    }

    public SessionResolver(AdminSecret adminSecret, Optional<String> unauthorizedRole, boolean trustUnauthorizedHeaders,
                           SessionNames names, Optional<Authenticator> authenticator) {
        if (authenticator.isPresent() && !adminSecret.configured()) {
            throw new IllegalArgumentException("a JWT or an authentication hook needs an admin secret: without one every caller is admin");
        }
        this.adminSecret = adminSecret;
        this.unauthorizedRole = unauthorizedRole.filter(s -> !s.isEmpty());
        this.trustUnauthorizedHeaders = trustUnauthorizedHeaders;
        this.names = names;
        this.authenticator = authenticator;
    }

    /**
     * @param headerNames the request's header names
     * @param header      a header's value by (case-insensitive) name, or null
     */
    public Session resolve(Iterable<String> headerNames, Function<String, String> header) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : headerNames) {
            headers.put(name.toLowerCase(Locale.ROOT), header.apply(name));
        }
        return resolve(headers, () -> null);
    }

    /**
     * @param headers the request's headers by lower-case name
     * @param request the GraphQL request body, for an authentication hook in POST mode (null when it is not JSON)
     */
    public Session resolve(Map<String, String> headers, Supplier<JsonNode> request) {
        String presented = presentedSecret(headers);
        if (!adminSecret.configured()) {
            return admin(headers);
        }
        if (presented != null) {
            if (!adminSecret.admits(presented)) {
                throw new AccessDenied("invalid x-joinery-admin-secret");
            }
            return admin(headers);
        }
        return switch (authenticator.orElse(null)) {
            case null -> unauthorized(headers, "missing x-joinery-admin-secret");
            case JwtAuthenticator jwt -> jwt.authenticate(headers).orElseGet(() -> unauthorized(headers, jwt.missingCredentials()));
            case AuthHook hook -> hook.authenticate(headers, request);
        };
    }

    /** Whether {@code presented} is the admin secret (always true when none is configured). */
    public boolean isAdminSecret(String presented) {
        return adminSecret.admits(presented);
    }

    private String presentedSecret(Map<String, String> headers) {
        String presented = headers.get(ADMIN_SECRET_HEADER);
        String hasura = names.hasuraAdminSecretHeader();
        return presented != null || hasura == null ? presented : headers.get(hasura);
    }

    private Session admin(Map<String, String> headers) {
        Map<String, String> variables = names.variables(headers);
        String role = variables.getOrDefault(Session.ROLE, Session.ADMIN_ROLE);
        if (!RoleNames.isValid(role)) {
            // The value is not echoed: it may hold control or bidi characters.
            throw new AccessDenied("x-joinery-role is not a valid role name (" + RoleNames.RULE + ")");
        }
        variables.put(Session.ROLE, role);
        return new Session(role, true, variables);
    }

    private Session unauthorized(Map<String, String> headers, String refusal) {
        if (unauthorizedRole.isEmpty()) {
            throw new AccessDenied(authenticator.isPresent() ? AccessDenied.Reason.INVALID_HEADERS : AccessDenied.Reason.ACCESS_DENIED, refusal);
        }
        Map<String, String> variables = trustUnauthorizedHeaders ? names.variables(headers) : new LinkedHashMap<>();
        variables.put(Session.ROLE, unauthorizedRole.get());
        return new Session(unauthorizedRole.get(), false, variables);
    }
}
