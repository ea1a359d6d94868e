package io.joinery.policies;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    @Test
    void unauthorizedCallersSessionHeadersAreIgnoredByDefault() {
        SessionResolver resolver = new SessionResolver(Optional.of("s3cret"), Optional.of("anonymous"));
        Session session = resolve(resolver, Map.of("X-Joinery-User-Id", "1", "X-Joinery-Org", "acme"));
        assertEquals(Map.of("x-joinery-role", "anonymous"), session.variables(),
                "a caller without the secret cannot claim session variables");
    }

    @Test
    void unauthorizedCallersSessionHeadersAreKeptWhenTheOperatorOptsIn() {
        SessionResolver resolver = new SessionResolver(Optional.of("s3cret"), Optional.of("anonymous"), true);
        Session session = resolve(resolver, Map.of("X-Joinery-User-Id", "1", "X-Joinery-Role", "admin"));
        assertEquals("1", session.variable("x-joinery-user-id"));
        assertEquals("anonymous", session.role(), "the role is still the unauthorized one");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "us\u0000er", "us\ner", "us\rer", "us\u202Eer", "us\"er", "us'er", "us er", "r\u00e9le"})
    void aRoleHeaderThatIsNotARoleNameIsRefused(String role) {
        SessionResolver resolver = new SessionResolver(Optional.empty(), Optional.empty());
        AccessDenied denied = assertThrows(AccessDenied.class, () -> resolve(resolver, Map.of("X-Joinery-Role", role)));
        assertTrue(denied.getMessage().contains("not a valid role name"), denied.getMessage());
        assertFalse(!role.isEmpty() && denied.getMessage().contains(role), "the bad value is not echoed: " + denied.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"user", "anonymous", "org-admin", "org_admin", "team.lead", "tenant:42", "a@b", "R2D2"})
    void roleNamesOfLettersDigitsAndPunctuationAreAccepted(String role) {
        assertTrue(RoleNames.isValid(role), role);
        assertEquals(role, resolve(new SessionResolver(Optional.empty(), Optional.empty()), Map.of("X-Joinery-Role", role)).role());
    }

    @Test
    void hasuraNamesCountOnlyWithTheMigrationAid() {
        Map<String, String> headers = Map.of("X-Hasura-Admin-Secret", "s3cret", "X-Hasura-Role", "user", "X-Hasura-User-Id", "7");
        SessionResolver strict = new SessionResolver(Optional.of("s3cret"), Optional.of("anonymous"));
        assertEquals("anonymous", resolve(strict, headers).role(), "x-hasura-admin-secret is no admin secret by default");
        SessionResolver migrating = new SessionResolver(new AdminSecret(Optional.of("s3cret")), Optional.empty(), false, new SessionNames(true),
                Optional.empty());
        Session session = resolve(migrating, headers);
        assertTrue(session.isAdmin());
        assertEquals("user", session.role());
        assertEquals("7", session.variable("x-joinery-user-id"));
        assertFalse(session.variables().containsKey("x-joinery-admin-secret"), "the secret is no session variable under either name");
        Session both = resolve(migrating, Map.of("X-Hasura-Admin-Secret", "s3cret", "X-Hasura-User-Id", "7", "X-Joinery-User-Id", "8"));
        assertEquals("8", both.variable("x-joinery-user-id"), "the x-joinery-* spelling wins");
        assertThrows(AccessDenied.class, () -> resolve(migrating, Map.of("X-Hasura-Admin-Secret", "wrong")));
    }

    @Test
    void theAdminSecretComparesWholeValuesOnly() {
        AdminSecret secret = new AdminSecret(Optional.of("s3cret"));
        assertTrue(secret.admits("s3cret"));
        for (String wrong : new String[]{null, "", "s3cre", "s3cret ", "S3CRET", "s3cret\u0000"}) {
            assertFalse(secret.admits(wrong), String.valueOf(wrong));
        }
        assertTrue(new AdminSecret(Optional.of("")).admits(null), "an empty secret is none: every caller is admin");
    }
}
