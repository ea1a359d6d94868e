package io.joinery.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document against the route table that registers the routes. The sidecar's own routes
 * (reload, health, metrics) are held against the running sidecar in integration-tests
 * ({@code AdminOpenApiTest}).
 */
class OpenApiDocumentTest {

    static final Set<String> SIDECAR_PATHS = Set.of("/admin/v1/reload", "/health/live", "/health/ready", "/metrics", "/console");
    static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    @Test
    void documentsEveryRouteOfTheServiceWithItsMethodsAndNothingElse() throws Exception {
        Map<String, Set<String>> documented = documented(new ObjectMapper().readTree(AdminService.openapi()));
        Map<String, Set<String>> serviceOnly = new LinkedHashMap<>(documented);
        serviceOnly.keySet().removeAll(SIDECAR_PATHS);
        assertEquals(AdminService.routes(), serviceOnly, "the document's /admin/v1 paths and methods are the routes AdminService registers");
        assertTrue(documented.keySet().containsAll(SIDECAR_PATHS), "the sidecar's own routes are documented too: " + documented.keySet());
    }

    @Test
    void isOpenApi31WithEveryReferenceResolvable() throws Exception {
        JsonNode document = new ObjectMapper().readTree(AdminService.openapi());
        assertEquals("3.1.0", document.path("openapi").asText());
        List<String> dangling = new ArrayList<>();
        references(document, document, dangling);
        assertEquals(List.of(), dangling, "every $ref points into the document");
        assertFalse(document.path("paths").isEmpty(), "the document lists paths");
        document.path("paths").properties().forEach(path -> path.getValue().properties().stream()
                .filter(operation -> HTTP_METHODS.contains(operation.getKey()))
                .forEach(operation -> {
                    String where = operation.getKey() + " " + path.getKey();
                    assertTrue(operation.getValue().path("operationId").isTextual(), where + " has an operationId");
                    assertTrue(operation.getValue().path("responses").size() > 0, where + " has responses");
                }));
    }

    /** Path → the upper-case methods it documents. */
    static Map<String, Set<String>> documented(JsonNode document) {
        Map<String, Set<String>> paths = new LinkedHashMap<>();
        document.path("paths").properties().forEach(path -> {
            Set<String> methods = new TreeSet<>();
            path.getValue().fieldNames().forEachRemaining(name -> {
                if (HTTP_METHODS.contains(name)) {
                    methods.add(name.toUpperCase(java.util.Locale.ROOT));
                }
            });
            paths.put(path.getKey(), methods);
        });
        return paths;
    }

    private static void references(JsonNode root, JsonNode node, List<String> dangling) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && root.at(ref.asText().substring(1)).isMissingNode()) {
                dangling.add(ref.asText());
            }
        }
        node.forEach(child -> references(root, child, dangling));
    }
}
