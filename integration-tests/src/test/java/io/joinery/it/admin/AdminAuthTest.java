package io.joinery.it.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.admin.http.AdminService;
import io.joinery.it.admin.StoreSidecar.Answer;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code JOINERY_ADMIN_SECRET} as a client meets it: every admin route (each operation of the
 * OpenAPI document that declares the secret) refuses a missing or wrong secret with 401; GraphQL
 * without the secret is 401 {@code access-denied}, unless {@code JOINERY_UNAUTHORIZED_ROLE} gives
 * such callers a role; and the sidecar will not start with its admin listener off loopback and no
 * secret.
 */
class AdminAuthTest {

    static final String METADATA = """
            {"version": 1, "sources": [{"name": "default", "tables": [
              {"table": "author"},
              {"table": "article", "permissions": {"anonymous": {"select": {"columns": ["id", "title"], "filter": {"published": {"_eq": true}}, "limit": 3}}}}]}]}
            """;
    static final String SECRET_HEADER = "x-joinery-admin-secret";

    static TestDatabase db;
    static StoreSidecar secured;
    static StoreSidecar withUnauthorizedRole;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("admin_auth").load("/it/schema.sql");
        secured = StoreSidecar.start(db.url());
        withUnauthorizedRole = StoreSidecar.start(db.url(), Map.of("JOINERY_UNAUTHORIZED_ROLE", "anonymous"));
        long version = secured.putDocument(METADATA).expect(200).etagVersion();
        DriftTest.awaitVersion(secured.sidecar(), version);
        DriftTest.awaitVersion(withUnauthorizedRole.sidecar(), version);
    }

    @AfterAll
    static void stop() {
        try (StoreSidecar first = secured; StoreSidecar second = withUnauthorizedRole) {
            // closes both, then the database
        } finally {
            db.close();
        }
    }

    @Test
    void everyAdminRouteRefusesAMissingOrWrongSecret() throws IOException {
        JsonNode document = StoreSidecar.JSON.readTree(AdminService.openapi());
        long version = secured.get("/admin/v1/metadata").expect(200).etagVersion();
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (!AdminOpenApiTest.METHODS.contains(operation.getKey().toUpperCase(Locale.ROOT))) {
                    continue;
                }
                String method = operation.getKey().toUpperCase(Locale.ROOT);
                String concrete = AdminOpenApiTest.concrete(path.getKey());
                boolean open = operation.getValue().path("security").isArray() && operation.getValue().path("security").isEmpty();
                if (open) {
                    Answer answer = secured.admin(method, concrete, null, headers(null));
                    if (answer.status() != 200) {
                        wrong.add(method + " " + concrete + " is documented without the secret but answers " + answer);
                    }
                    continue;
                }
                for (String secret : Arrays.asList(null, "wrong", StoreSidecar.SECRET + "x", "")) {
                    Answer answer = secured.admin(method, concrete, "{}", headers(secret));
                    checked++;
                    if (answer.status() != 401 || !"unauthorized".equals(answer.code())) {
                        wrong.add(method + " " + concrete + " with secret '" + secret + "' answers " + answer);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(checked >= 4 * 20, "every admin operation was tried: " + checked / 4);
        assertEquals(version, secured.get("/admin/v1/metadata").expect(200).etagVersion(), "the refused writes changed nothing");
    }

    /** Every documented PUT and POST that takes a body refuses broken JSON and YAML with 400 and a code, and writes nothing. */
    @Test
    void everyWriteRouteRefusesAMalformedBodyAndWritesNothing() throws IOException {
        JsonNode document = StoreSidecar.JSON.readTree(AdminService.openapi());
        long version = secured.get("/admin/v1/metadata").expect(200).etagVersion();
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (!operation.getValue().has("requestBody")) {
                    continue;
                }
                String method = operation.getKey().toUpperCase(Locale.ROOT);
                String concrete = AdminOpenApiTest.concrete(path.getKey());
                for (String[] body : new String[][]{{"{\"version\": 1,", "application/json"}, {"[1, 2", "application/json"},
                        {"sources: [", "application/yaml"}}) {
                    // with If-Match: a whole-document write without it is refused (428) before its body is read
                    Answer answer = secured.admin(method, concrete, body[0], Map.of("Content-Type", body[1], "If-Match", "\"" + version + "\""));
                    checked++;
                    if (answer.status() != 400 || !"invalid-json".equals(answer.code()) || answer.json().path("message").asText().isBlank()) {
                        wrong.add(method + " " + concrete + " with body '" + body[0] + "' answers " + answer);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(checked >= 3 * 12, "every write operation was tried: " + checked / 3);
        assertEquals(version, secured.get("/admin/v1/metadata").expect(200).etagVersion(), "the refused writes changed nothing");
    }

    @Test
    void graphqlWithoutTheSecretIsAccessDenied() {
        GraphqlClient anonymous = secured.graphql().without(SECRET_HEADER);
        for (GraphqlClient client : List.of(anonymous, anonymous.withHeaders(Map.of(SECRET_HEADER, "wrong")),
                anonymous.withHeaders(Map.of("x-joinery-role", "anonymous")))) {
            GraphqlResponse response = client.query("{ article { id } }");
            assertEquals(401, response.status(), response.toString());
            assertEquals("access-denied", response.errors().path(0).path("extensions").path("code").asText(), response.toString());
            assertTrue(response.data().isMissingNode(), "no data: " + response);
        }
        GraphqlResponse admin = secured.graphql().query("{ author_aggregate { aggregate { count } } }");
        assertEquals(10, admin.data().path("author_aggregate").path("aggregate").path("count").asInt(), admin.toString());
    }

    @Test
    void graphqlWithoutTheSecretGetsTheUnauthorizedRoleWhenOneIsSet() {
        GraphqlClient anonymous = withUnauthorizedRole.graphql().without(SECRET_HEADER);
        GraphqlResponse articles = anonymous.query("{ article(order_by: {id: asc}) { id title } }");
        assertEquals(200, articles.status(), articles.toString());
        assertEquals("[{\"id\":1,\"title\":\"Article 1\"},{\"id\":2,\"title\":\"Article 2\"},{\"id\":4,\"title\":\"Article 4\"}]",
                articles.data().path("article").toString(), "the anonymous role's filter and limit: " + articles);

        GraphqlResponse escalation = anonymous.withHeaders(Map.of("x-joinery-role", "admin")).query("{ author { name } }");
        assertEquals("validation-failed", escalation.errors().path(0).path("extensions").path("code").asText(),
                "a caller without the secret cannot pick another role: " + escalation);
        GraphqlResponse wrongSecret = anonymous.withHeaders(Map.of(SECRET_HEADER, "wrong")).query("{ article { id } }");
        assertEquals(401, wrongSecret.status(), "a wrong secret is refused, not downgraded: " + wrongSecret);
    }

    @Test
    void theSidecarRefusesToStartWithTheAdminListenerOffLoopbackAndNoSecret() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", classpath, "io.joinery.proxy.Main");
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("JOINERY_"));
        env.putAll(new HashMap<>(Map.of("JOINERY_DATABASE_URL", db.url(), "JOINERY_ADMIN_HOST", "0.0.0.0",
                "JOINERY_GRAPHQL_PORT", "0", "JOINERY_ADMIN_PORT", "0")));
        builder.redirectErrorStream(true);
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the sidecar started instead of refusing");
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(2, process.exitValue(), output);
            assertTrue(output.contains("0.0.0.0") && output.contains("JOINERY_ADMIN_SECRET"), "one line saying why and what to set: " + output);
        } finally {
            process.destroyForcibly();
        }
    }

    /** The secret header as given: absent (null) or with a value. */
    private static Map<String, String> headers(String secret) {
        Map<String, String> headers = new HashMap<>();
        headers.put("X-Joinery-Admin-Secret", secret);
        return headers;
    }
}
