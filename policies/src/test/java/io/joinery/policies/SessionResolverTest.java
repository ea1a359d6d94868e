package io.joinery.policies;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionResolverTest {

    private static Session resolve(SessionResolver resolver, Map<String, String> headers) {
        Map<String, String> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ci.putAll(headers);
        return resolver.resolve(headers.keySet(), ci::get);
    }

    @Test
    void withoutSecretEveryoneIsAdminAndMayPickARole() {
        SessionResolver resolver = new SessionResolver(Optional.empty(), Optional.empty());
        assertEquals("admin", resolve(resolver, Map.of()).role());
        Session user = resolve(resolver, Map.of("X-Joinery-Role", "user", "X-Joinery-User-Id", "7"));
        assertEquals("user", user.role());
        assertEquals("7", user.variable("x-joinery-user-id"));
    }

    @Test
    void withSecretTheSecretIsRequired() {
        SessionResolver resolver = new SessionResolver(Optional.of("s3cret"), Optional.empty());
        assertThrows(AccessDenied.class, () -> resolve(resolver, Map.of()));
        assertThrows(AccessDenied.class, () -> resolve(resolver, Map.of("X-Joinery-Admin-Secret", "wrong")));
        Session admin = resolve(resolver, Map.of("X-Joinery-Admin-Secret", "s3cret"));
        assertTrue(admin.isAdmin());
        assertFalse(admin.variables().containsKey("x-joinery-admin-secret"), "the secret is not a session variable");
    }

    @Test
    void unauthorizedRoleForCallersWithoutSecret() {
        SessionResolver resolver = new SessionResolver(Optional.of("s3cret"), Optional.of("anonymous"));
        Session session = resolve(resolver, Map.of("X-Joinery-Role", "admin"));
        assertEquals("anonymous", session.role(), "a role header does not escalate without the secret");
        assertFalse(session.isAdmin());
    }
}
