package io.joinery.it.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hasura's request and response transforms end to end: a real sidecar and Postgres, handlers on
 * WireMock, metadata it/metadata-action-transforms.yaml. What the handler receives is read back
 * from WireMock; what the client gets is the GraphQL answer.
 */
class ActionTransformsTest {

    static TestDatabase db;
    static WireMockServer handlers;
    static TestSidecar sidecar;
    static GraphqlClient user;
    static GraphqlClient admin;
    /** A caller without the admin secret (role "anonymous"): what it sees of a failure has no internals. */
    static GraphqlClient anonymous;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("action_transforms").load("/it/schema.sql");
        handlers = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        handlers.start();
        sidecar = TestSidecar.start(db.url(), "/it/metadata-action-transforms.yaml",
                Map.of("USERS_URL", handlers.baseUrl() + "/api", "NEWSLETTER_URL", handlers.baseUrl() + "/newsletter"));
        admin = sidecar.client();
        user = admin.withHeaders(Map.of("x-joinery-role", "user", "x-joinery-user-id", "42"));
        anonymous = admin.without("x-joinery-admin-secret");
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        handlers.stop();
        db.close();
    }

    @BeforeEach
    void reset() {
        handlers.resetAll();
    }

    @Test
    void aGetWithPathAndQueryParametersAndTheAnswerReshapedByTheResponseTemplate() {
        handlers.stubFor(get(urlPathEqualTo("/api/users/3")).willReturn(okJson("""
                {"data": {"user": {"id": 3, "full_name": "grace HOPPER", "contact": {"email": "grace@example.com"}}}}""")));

        JsonNode data = ok(user.query("query ($id: Int!) { user(id: $id, fields: \"name,email\") { id name email author { name } } }",
                Map.of("id", 3)));

        assertEquals("{\"user\":{\"id\":3,\"name\":\"Grace Hopper\",\"email\":\"grace@example.com\",\"author\":{\"name\":\"Grace\"}}}",
                data.toString(), "the response template's object, joined to its author");
        LoggedRequest sent = only();
        assertEquals("GET", sent.getMethod().getName());
        assertEquals("/api/users/3", sent.getUrl().replaceFirst("\\?.*", ""), "the URL template");
        assertEquals(Map.of("fields", List.of("name,email"), "by", List.of("42"), "verbose", List.of("")), query(sent), "query_params");
        assertEquals("", sent.getBodyAsString(), "body: remove");
        assertFalse(sent.containsHeader("Content-Type"), "remove_headers: [content-type]");
        assertEquals("secret-key", sent.getHeader("X-Api-Key"), "the action's own headers still go");
        assertEquals("user", sent.getHeader("X-Caller"), "add_headers, with getSessionVariable");
    }

    @Test
    void aQueryParameterLeftOutOfTheCallTakesTheTemplatesDefault() {
        handlers.stubFor(get(urlPathEqualTo("/api/users/5")).willReturn(okJson("{\"data\": {\"user\": {\"id\": 5, \"full_name\": \"x\"}}}")));

        JsonNode data = ok(user.query("{ user(id: 5) { id email } }"));

        assertEquals("{\"user\":{\"id\":5,\"email\":null}}", data.toString(), "an optional path gives null");
        assertEquals(Map.of("fields", List.of("id,name"), "by", List.of("42"), "verbose", List.of("")), query(only()));
    }

    @Test
    void theResponseTemplateTurnsAHandlersRefusalIntoHasurasErrorShape() {
        handlers.stubFor(get(urlPathEqualTo("/api/users/99")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"error\": \"no user 99\"}")));

        GraphqlClient.GraphqlResponse response = user.query("{ user(id: 99) { id } }");

        assertEquals(1, response.errors().size(), response.toString());
        assertEquals("users service: no user 99", response.errors().get(0).path("message").asText(), response.toString());
        assertTrue(response.data().path("user").isNull(), response.toString());
    }

    @Test
    void aFormEncodedBody() {
        handlers.stubFor(post(urlPathEqualTo("/newsletter/subscriptions")).willReturn(okJson("{\"id\": \"s-1\", \"status\": \"pending\"}")));

        JsonNode data = ok(user.query("mutation { subscribe(email: \"a+b@example.com\", lists: [\"news\", \"tips\"]) { id status } }"));

        assertEquals("{\"subscribe\":{\"id\":\"s-1\",\"status\":\"pending\"}}", data.toString());
        LoggedRequest sent = only();
        assertEquals("POST", sent.getMethod().getName());
        assertEquals("application/x-www-form-urlencoded", sent.getHeader("Content-Type"));
        assertEquals("email=a%2Bb%40example.com&lists=%5B%22news%22%2C%22tips%22%5D&by=42", sent.getBodyAsString());
    }

    @Test
    void aTemplateFailingOnACallFailsItsFieldAloneAndTellsAdminsWhere() {
        handlers.stubFor(get(anyUrl()).willReturn(okJson("{\"data\": {\"user\": {\"id\": 1, \"full_name\": \"m\"}}}")));

        GraphqlClient.GraphqlResponse response = user.query("{ brokenUser(id: 1) { id } ok: user(id: 1) { id } }");

        assertEquals(1, response.errors().size(), response.toString());
        JsonNode error = response.errors().get(0);
        assertEquals("action 'brokenUser': the request transform failed", error.path("message").asText(), response.toString());
        assertEquals("unexpected", error.path("extensions").path("code").asText());
        assertEquals("$.brokenUser", error.path("extensions").path("path").asText());
        assertEquals("request_transform.url: the object has no field 'missing' (line 1, column 34)",
                error.path("extensions").path("internal").asText(), "admins see the template, line and column: " + response);
        assertEquals(1, response.data().path("ok").path("id").asInt(), "the other field is served: " + response);
        assertTrue(response.data().path("brokenUser").isNull(), response.toString());
        assertEquals(1, handlers.findAll(anyRequestedFor(anyUrl())).size(), "the broken call sent nothing; the other one did");

        GraphqlClient.GraphqlResponse forAnonymous = anonymous.query("{ brokenUser(id: 1) { id } }");
        assertEquals("action 'brokenUser': the request transform failed", forAnonymous.errors().get(0).path("message").asText());
        assertFalse(forAnonymous.toString().contains("line "), "no template internals for a non-admin: " + forAnonymous);
    }

    private static LoggedRequest only() {
        List<LoggedRequest> requests = handlers.findAll(anyRequestedFor(anyUrl()));
        assertEquals(1, requests.size(), "handler calls");
        return requests.getFirst();
    }

    /** The query parameters the handler received, decoded. */
    private static Map<String, List<String>> query(LoggedRequest request) {
        Map<String, List<String>> parameters = new java.util.TreeMap<>();
        request.getQueryParams().forEach((name, parameter) -> parameters.put(name, parameter.values()));
        return parameters;
    }

    private static JsonNode ok(GraphqlClient.GraphqlResponse response) {
        assertEquals(200, response.status(), response.toString());
        assertFalse(response.errors().isArray() && !response.errors().isEmpty(), response.toString());
        return response.data();
    }
}
