package io.joinery.policies;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Resolves a request's {@link Session} from its headers, as Hasura does with an admin secret:
 * without a configured secret every caller is admin and may pick a role with {@code x-joinery-role};
 * with one, the caller must present it in {@code X-Joinery-Admin-Secret}, unless an unauthorized
 * role is configured, which callers without the secret get. Such callers' own {@code x-joinery-*}
 * headers are ignored unless {@code trustUnauthorizedHeaders}: anyone can send
 * {@code x-joinery-user-id}, so a permission filter on it would see what the caller claims (Hasura
 * trusts them, which has bitten its users). A role name must be valid ({@link RoleNames}).
 */
public final class SessionResolver {

    public static final String ADMIN_SECRET_HEADER = "x-joinery-admin-secret";

    private final Optional<String> adminSecret;
    private final Optional<String> unauthorizedRole;
    private final boolean trustUnauthorizedHeaders;

    public SessionResolver(Optional<String> adminSecret, Optional<String> unauthorizedRole) {
        this(adminSecret, unauthorizedRole, false);
    }

    /** {@code trustUnauthorizedHeaders}: callers of the unauthorized role keep their {@code x-joinery-*} headers as session variables. */
    public SessionResolver(Optional<String> adminSecret, Optional<String> unauthorizedRole, boolean trustUnauthorizedHeaders) {
        this.adminSecret = adminSecret.filter(s -> !s.isEmpty());
        this.unauthorizedRole = unauthorizedRole.filter(s -> !s.isEmpty());
        this.trustUnauthorizedHeaders = trustUnauthorizedHeaders;
    }

    /**
     * @param headerNames the request's header names
     * @param header      a header's value by (case-insensitive) name, or null
     */
    public Session resolve(Iterable<String> headerNames, Function<String, String> header) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String name : headerNames) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(Session.PREFIX) && !lower.equals(ADMIN_SECRET_HEADER)) {
                variables.put(lower, header.apply(name));
            }
        }
        String presented = header.apply(ADMIN_SECRET_HEADER);
        boolean admin;
        if (adminSecret.isEmpty()) {
            admin = true;
        } else if (presented != null) {
            if (!constantTimeEquals(presented, adminSecret.get())) {
                throw new AccessDenied("invalid x-joinery-admin-secret");
            }
            admin = true;
        } else if (unauthorizedRole.isPresent()) {
            if (!trustUnauthorizedHeaders) {
                variables.clear();
            }
            variables.put(Session.ROLE, unauthorizedRole.get());
            return new Session(unauthorizedRole.get(), false, variables);
        } else {
            throw new AccessDenied("missing x-joinery-admin-secret");
        }
        String role = variables.getOrDefault(Session.ROLE, Session.ADMIN_ROLE);
        if (!RoleNames.isValid(role)) {
            // The value is not echoed: it may hold control or bidi characters.
            throw new AccessDenied("x-joinery-role is not a valid role name (" + RoleNames.RULE + ")");
        }
        variables.put(Session.ROLE, role);
        return new Session(role, admin, variables);
    }

    /** Whether {@code presented} is the admin secret (always true when none is configured). */
    public boolean isAdminSecret(String presented) {
        return adminSecret.isEmpty() || (presented != null && constantTimeEquals(presented, adminSecret.get()));
    }

    static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
