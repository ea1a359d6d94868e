package io.joinery.it.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.joinery.it.admin.StoreSidecar.Answer;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Hasura actions with REST-connector transforms ({@code it/admin/hasura-actions-export.json}: a
 * version-2 GET with a URL template, query parameters and a response template; a version-1 PUT with a
 * body template), imported through {@code POST /admin/v1/metadata/import/hasura} and then called over
 * GraphQL unchanged: the handler (WireMock) receives what Hasura would send it, templates reading
 * {@code x-hasura-*} session variables included.
 */
class HasuraActionTransformsImportTest {

    static TestDatabase db;
    static WireMockServer handlers;
    static StoreSidecar sidecar;
    static Answer imported;
    static GraphqlClient user;

    @BeforeAll
    static void importTheExport() {
        db = TestDatabase.create("hasura_action_transforms").load("/it/schema.sql");
        handlers = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        handlers.start();
        sidecar = StoreSidecar.start(db.url(), Map.of("USERS_URL", handlers.baseUrl() + "/api"));
        String etag = sidecar.get("/admin/v1/metadata").expect(200).etag();
        imported = sidecar.admin("POST", "/admin/v1/metadata/import/hasura", HasuraExportImportTest.resource("/it/admin/hasura-actions-export.json"),
                Map.of("If-Match", etag));
        DriftTest.awaitVersion(sidecar.sidecar(), imported.expect(200).json().path("resource_version").asLong());
        user = sidecar.graphql().withHeaders(Map.of("x-joinery-role", "user", "x-joinery-user-id", "42"));
    }

    @AfterAll
    static void stop() {
        try {
            if (sidecar != null) {
                sidecar.close();
            }
            if (handlers != null) {
                handlers.stop();
            }
        } finally {
            db.close();
        }
    }

    @BeforeEach
    void reset() {
        handlers.resetAll();
    }

    @Test
    void theTransformsAreImportedNotListed() {
        assertFalse(imported.text().contains("transform"), "nothing about transforms is unmapped: " + imported.text());
        JsonNode action = sidecar.get("/admin/v1/actions/userById").expect(200).json();
        assertEquals("{{$base_url}}/users/{{$body.input.id}}", action.path("request_transform").path("url").asText(), action.toString());
    }

    @Test
    void aVersion2GetWithAResponseTemplateWorksUnchanged() {
        handlers.stubFor(get(urlPathEqualTo("/api/users/4")).willReturn(okJson("{\"user\": {\"id\": 4, \"display_name\": \"Ada\"}}")));

        GraphqlResponse response = user.query("{ userById(id: 4) { id name author { name } } }");

        assertEquals("{\"userById\":{\"id\":4,\"name\":\"Ada\",\"author\":{\"name\":\"Edsger\"}}}", ok(response).toString());
        LoggedRequest sent = only();
        assertEquals("GET", sent.getMethod().getName());
        assertEquals("/api/users/4", sent.getUrl().replaceFirst("\\?.*", ""));
        assertEquals(List.of("42"), sent.queryParameter("requested_by").values(), "x-hasura-user-id reads the caller's user id");
        assertFalse(sent.containsHeader("Content-Type"), sent.getHeaders().toString());
        assertEquals("", sent.getBodyAsString());
    }

    @Test
    void aVersion1BodyTemplateWorksUnchanged() {
        handlers.stubFor(put(urlPathEqualTo("/api/users")).willReturn(okJson("{\"created\": {\"id\": 11, \"name\": \"ada\"}, \"extra\": 1}")));

        GraphqlResponse response = user.query("mutation { createUser(username: \"ada\") { id name } }");

        assertEquals("{\"createUser\":{\"id\":11,\"name\":\"ada\"}}", ok(response).toString());
        LoggedRequest sent = only();
        assertEquals("PUT", sent.getMethod().getName());
        assertEquals("/api/users", sent.getUrl());
        assertEquals("application/json", sent.getHeader("Content-Type"));
        assertEquals("{\"username\":\"ada\",\"requested_by\":\"42\"}", sent.getBodyAsString());
    }

    private static LoggedRequest only() {
        List<LoggedRequest> requests = handlers.findAll(anyRequestedFor(anyUrl()));
        assertEquals(1, requests.size(), "handler calls");
        return requests.getFirst();
    }

    private static JsonNode ok(GraphqlResponse response) {
        assertEquals(200, response.status(), response.toString());
        assertFalse(response.errors().isArray() && !response.errors().isEmpty(), response.toString());
        return response.data();
    }
}
