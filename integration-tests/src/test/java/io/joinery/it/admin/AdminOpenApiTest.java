package io.joinery.it.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.admin.StoreSidecar.Answer;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /admin/v1/openapi} against what the admin listener really serves: the routes the
 * sidecar registers (its route tables) are exactly the documented paths and methods, every
 * documented operation answers (not 404 "no admin route", not 405), and every other method of a
 * documented path is 405.
 */
class AdminOpenApiTest {

    static final List<String> METHODS = List.of("GET", "PUT", "POST", "DELETE", "PATCH");
    /** Values for the path templates, naming objects that exist, so that the answers are the operations' own. */
    static final Map<String, String> PARAMETERS = Map.of("{source}", "default", "{table}", "author", "{name}", "articles", "{role}", "user",
            "{operation}", "select", "{function}", "search_articles", "{type}", "Profile", "{relationship}", "author");
    static final String METADATA = """
            {"version": 1, "sources": [{"name": "default", "tables": [
              {"table": "author", "relationships": {"articles": {"array": "article", "on": {"id": "author_id"}}},
               "permissions": {"user": {"select": {"columns": ["id", "name"]}}}},
              {"table": "article"}]}]}
            """;

    static TestDatabase db;
    static StoreSidecar sidecar;
    static JsonNode document;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("openapi").load("/it/schema.sql");
        sidecar = StoreSidecar.start(db.url());
        Answer answer = sidecar.get("/admin/v1/openapi").expect(200);
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), answer.headers().toString());
        document = answer.json();
    }

    @AfterAll
    static void stop() {
        try {
            if (sidecar != null) {
                sidecar.close();
            }
        } finally {
            db.close();
        }
    }

    @Test
    void isAnOpenApi31DocumentWithTheAdminSecretAsSecurityScheme() {
        assertEquals("3.1.0", document.path("openapi").asText());
        assertEquals("X-Joinery-Admin-Secret", document.path("components").path("securitySchemes").path("adminSecret").path("name").asText());
    }

    @Test
    void documentsExactlyTheRoutesTheSidecarRegisters() {
        assertEquals(new TreeMap<>(sidecar.sidecar().adminRoutes()), documented(),
                "paths and methods of GET /admin/v1/openapi vs the admin listener's route tables");
    }

    @Test
    void everyDocumentedOperationIsServedAndEveryOtherMethodIs405() {
        List<String> wrong = new ArrayList<>();
        assertFalse(documented().isEmpty(), "the document lists paths");
        documented().forEach((template, methods) -> {
            String path = concrete(template);
            for (String method : METHODS) {
                sidecar.putDocument(METADATA).expect(200); // a DELETE before may have removed the objects
                Answer answer = sidecar.admin(method, path, "{}", Map.of());
                boolean routed = answer.status() != 405 && !(answer.status() == 404 && answer.text().contains("no admin route"));
                if (methods.contains(method) != routed) {
                    wrong.add(method + " " + path + (methods.contains(method) ? " is documented but answers " : " is not documented but answers ") + answer);
                }
                if (!methods.contains(method) && answer.status() == 405) {
                    String allow = answer.headers().firstValue("Allow").orElse("");
                    if (!new TreeSet<>(List.of(allow.split(",\\s*"))).equals(methods)) {
                        wrong.add(method + " " + path + ": Allow '" + allow + "' is not the documented " + methods);
                    }
                }
            }
        });
        assertEquals(List.of(), wrong);
        Answer unknown = sidecar.get("/admin/v1/no/such/route");
        assertEquals(404, unknown.status(), unknown.toString());
        assertEquals("not-found", unknown.code());
    }

    @Test
    void aReadOnlySidecarServesASubsetOfTheDocument() {
        try (TestSidecar readOnly = TestSidecar.start(db.url(), "/it/metadata.yaml")) {
            Map<String, Set<String>> documented = documented();
            assertFalse(readOnly.sidecar().adminRoutes().isEmpty(), "the read-only sidecar has admin routes");
            readOnly.sidecar().adminRoutes().forEach((path, methods) -> assertTrue(
                    documented.containsKey(path) && documented.get(path).containsAll(methods),
                    "the read-only sidecar's " + methods + " " + path + " is documented"));
        }
    }

    /** Path → upper-case methods, as the document lists them. */
    static Map<String, Set<String>> documented() {
        Map<String, Set<String>> paths = new TreeMap<>();
        document.path("paths").properties().forEach(path -> {
            Set<String> methods = new TreeSet<>();
            path.getValue().fieldNames().forEachRemaining(name -> {
                if (METHODS.contains(name.toUpperCase(Locale.ROOT)) || Set.of("head", "options", "trace").contains(name)) {
                    methods.add(name.toUpperCase(Locale.ROOT));
                }
            });
            paths.put(path.getKey(), methods);
        });
        return paths;
    }

    static String concrete(String template) {
        String path = template;
        for (Map.Entry<String, String> parameter : new LinkedHashMap<>(PARAMETERS).entrySet()) {
            path = path.replace(parameter.getKey(), parameter.getValue());
        }
        assertTrue(!path.contains("{"), "a value for every path parameter of " + template);
        return path;
    }
}
