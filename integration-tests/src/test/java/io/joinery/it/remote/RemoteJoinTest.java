package io.joinery.it.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import graphql.GraphQL;
import graphql.introspection.IntrospectionQuery;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestGraphqlServer;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Remote schemas and table → remote joins end to end: a real remote GraphQL server (graphql-java on
 * Helidon) counting requests and resolver calls, WireMock for faults, a real sidecar and Postgres.
 */
class RemoteJoinTest {

    private static final String FAULTY_SDL = """
            type Query { faultyProfile(authorId: Int!): FaultyProfile }
            type FaultyProfile { bio: String }
            """;

    static TestDatabase db;
    static TestGraphqlServer remote;
    static WireMockServer faulty;
    static TestSidecar sidecar;
    static GraphqlClient client;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("remote").load("/it/schema.sql")
                .execute("CREATE TABLE person AS SELECT g AS id FROM generate_series(1, 500) g; ALTER TABLE person ADD PRIMARY KEY (id);");
        remote = new TestGraphqlServer();
        faulty = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        faulty.start();
        faulty.stubFor(post(urlEqualTo("/graphql")).withRequestBody(containing("__schema"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(introspection(FAULTY_SDL))));
        sidecar = TestSidecar.start(db.url(), "/it/metadata-remote.yaml", Map.of(
                "PROFILES_URL", remote.url(), "PROFILES_KEY", "k-123",
                "FAULTY_URL", "http://127.0.0.1:" + faulty.port() + "/graphql"));
        client = sidecar.client();
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        faulty.stop();
        remote.close();
        db.close();
    }

    @BeforeEach
    void reset() {
        remote.reset();
    }

    @Test
    void remoteRootFieldsAreMergedAndGoInOneRequest() {
        JsonNode data = ok(client.query("{ hello(name: \"Ada\") greeting: hello author(where: {id: {_eq: 1}}) { name } }"));
        assertEquals("Hello, Ada", data.path("hello").asText());
        assertEquals("Hello, world", data.path("greeting").asText());
        assertEquals(1, data.path("author").size(), data.toString());
        assertTrue(data.path("author").get(0).path("name").isTextual(), data.toString());
        assertEquals(1, remote.requests(), "both remote root fields in one request");
    }

    @Test
    void aTableJoinsARemoteFieldInOneCall() {
        JsonNode authors = ok(client.query("{ author(order_by: {id: asc}) { id profile { bio followers } } }")).path("author");
        assertEquals(10, authors.size());
        for (JsonNode author : authors) {
            int id = author.path("id").asInt();
            assertEquals("bio of " + id, author.path("profile").path("bio").asText(), author.toString());
            assertEquals(id * 10, author.path("profile").path("followers").asInt());
        }
        assertEquals(1, remote.requests(), "one HTTP call for the whole join");
        assertTrue(remote.headers().getFirst().get("x-api-key").equals("k-123"), "static header from the environment");
    }

    @Test
    void theKeysShareOneFragmentOfTheSelectionEvenBesideAClientFragmentOfTheSameName() {
        JsonNode authors = ok(client.query("""
                { author(order_by: {id: asc}, limit: 3) { id profile { ...JoineryKey followers } } }
                fragment JoineryKey on Profile { bio }""")).path("author");
        for (JsonNode author : authors) {
            int id = author.path("id").asInt();
            assertEquals("bio of " + id, author.path("profile").path("bio").asText(), author.toString());
            assertEquals(id * 10, author.path("profile").path("followers").asInt(), author.toString());
        }
        String sent = remote.bodies().getLast();
        assertEquals(1, sent.split("fragment JoineryKey ").length - 1, "the selection is written once: " + sent);
        assertEquals(3, sent.split("\\{\\.\\.\\.JoineryKey}").length - 1, "each key spreads it: " + sent);
    }

    @Test
    void joinKeysAreFetchedButNotShownWhenNotSelected() {
        JsonNode authors = ok(client.query("{ author(limit: 2, order_by: {id: asc}) { name profile { bio } } }")).path("author");
        assertEquals("[\"name\",\"profile\"]", JsonTrees.write(fieldNames(authors.get(0))), "no phantom key in the response");
        assertEquals("bio of 1", authors.get(0).path("profile").path("bio").asText());
    }

    @Test
    void identicalKeysAreSentOnce() {
        JsonNode articles = ok(client.query("{ article { id author_id authorProfile { bio } } }")).path("article");
        assertEquals(30, articles.size());
        long distinctAuthors = java.util.stream.StreamSupport.stream(articles.spliterator(), false)
                .map(a -> a.path("author_id").asInt()).distinct().count();
        for (JsonNode article : articles) {
            assertEquals("bio of " + article.path("author_id").asInt(), article.path("authorProfile").path("bio").asText());
        }
        assertEquals(1, remote.requests());
        assertEquals(distinctAuthors, remote.resolverCalls("Query.profile"), "one resolver call per distinct key");
    }

    @Test
    void nullKeysGiveNullWithoutACall() {
        JsonNode articles = ok(client.query("{ article(order_by: {id: asc}) { rating ratingProfile { authorId } } }")).path("article");
        assertEquals(30, articles.size());
        long distinctRatings = java.util.stream.StreamSupport.stream(articles.spliterator(), false)
                .filter(a -> !a.path("rating").isNull()).map(a -> a.path("rating").asInt()).distinct().count();
        boolean sawNull = false;
        for (JsonNode article : articles) {
            if (article.path("rating").isNull()) {
                sawNull = true;
                assertTrue(article.path("ratingProfile").isNull(), article.toString());
            } else {
                assertEquals(article.path("rating").asInt(), article.path("ratingProfile").path("authorId").asInt());
            }
        }
        assertTrue(sawNull, "the data has null ratings");
        assertEquals(distinctRatings, remote.resolverCalls("Query.profile"), "no call for null keys");
    }

    @Test
    void joinsInsideArrayRelationshipsAreOneCallPerLevel() {
        JsonNode authors = ok(client.query("{ author { profile { bio } articles { title authorProfile { followers } } } }")).path("author");
        assertEquals(10, authors.size());
        int articles = 0;
        for (JsonNode author : authors) {
            for (JsonNode article : author.path("articles")) {
                assertTrue(article.path("authorProfile").path("followers").isIntegralNumber(), article.toString());
                articles++;
            }
        }
        assertEquals(30, articles, "every article is checked");
        assertEquals(2, remote.requests(), "one call per remote relationship, whatever the rows");
    }

    @Test
    void aNestedRemoteFieldPath() {
        JsonNode authors = ok(client.query("{ author(limit: 2, order_by: {id: asc}) { id account { handle level } } }")).path("author");
        assertEquals("@author1", authors.get(0).path("account").path("handle").asText());
        assertEquals("BASIC", authors.get(0).path("account").path("level").asText());
        assertEquals("PRO", authors.get(1).path("account").path("level").asText());
    }

    @Test
    void aliasesFragmentsVariablesAndDirectivesGoThroughJoins() {
        JsonNode data = ok(client.query("""
                query Q($withBio: Boolean!, $id: Int!) {
                  author(where: {id: {_eq: $id}}) {
                    p: profile { ...Card bio @include(if: $withBio) }
                    q: profile { n: followers }
                  }
                }
                fragment Card on Profile { authorId tags }
                """, Map.of("withBio", false, "id", 3)));
        JsonNode author = data.path("author").get(0);
        assertEquals(3, author.path("p").path("authorId").asInt());
        assertEquals("t0", author.path("p").path("tags").get(0).asText());
        assertFalse(author.path("p").has("bio"), "@include(if: false) honoured by the remote");
        assertEquals(30, author.path("q").path("n").asInt());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 50, 500})
    void callCountsDoNotGrowWithRows(int rows) {
        JsonNode people = ok(client.query("query ($n: Int!) { person(limit: $n, order_by: {id: asc}) { id profile { bio } } }",
                Map.of("n", rows))).path("person");
        assertEquals(rows, people.size());
        assertEquals("bio of " + rows, people.get(rows - 1).path("profile").path("bio").asText());
        assertEquals(1, remote.requests(), "one call for the join, however many rows: no batch_size caps the keys");
    }

    @Test
    void aRemoteFieldErrorKeepsTheDataAndSaysWhere() {
        JsonNode response = client.query("{ author(limit: 1, order_by: {id: asc}) { name profile { bio broken } } }").json();
        assertTrue(response.path("data").path("author").get(0).path("name").isTextual(), response.toString());
        assertEquals("bio of 1", response.path("data").path("author").get(0).path("profile").path("bio").asText());
        JsonNode error = response.path("errors").get(0);
        assertEquals("remote-schema-error", error.path("extensions").path("code").asText());
        assertEquals("$.author[0].profile.broken", error.path("extensions").path("path").asText(), response.toString());
    }

    @Test
    void aFailingRootFieldOfARemoteIsNullWithAnError() {
        JsonNode response = client.query("{ failing hello author(limit: 1) { id } }").json();
        assertTrue(response.path("data").path("failing").isNull());
        assertEquals("Hello, world", response.path("data").path("hello").asText());
        assertEquals(1, response.path("data").path("author").size());
        assertEquals("remote-schema-error", response.path("errors").get(0).path("extensions").path("code").asText());
    }

    @Test
    void clientHeadersAreForwardedWhenAsked() {
        JsonNode data = ok(client.withHeaders(Map.of("X-Trace-Me", "abc")).query("{ echoHeader(name: \"x-trace-me\") }"));
        assertEquals("abc", data.path("echoHeader").asText());
        assertFalse(remote.headers().getFirst().containsKey("x-joinery-admin-secret"), "the admin secret is never forwarded");
        assertFalse(remote.headers().getFirst().containsKey("proxy-connection"), "no header meant for a proxy: " + remote.headers().getFirst());
    }

    @Test
    void aCustomizedRemoteLivesUnderItsNamespaceWithPrefixedTypes() {
        JsonNode data = ok(client.query("""
                query { more {
                  __typename
                  p: profile(authorId: 2) { __typename bio account { __typename handle } ...Extra ... on More_Profile { t: __typename } }
                } }
                fragment Extra on More_Profile { followers }
                """));
        JsonNode profile = data.path("more").path("p");
        assertEquals("more_query", data.path("more").path("__typename").asText(), data.toString());
        assertEquals("More_Profile", profile.path("__typename").asText(), data.toString());
        assertEquals("More_Profile", profile.path("t").asText());
        assertEquals("More_Account", profile.path("account").path("__typename").asText());
        assertEquals(20, profile.path("followers").asInt());
        assertEquals("bio of 2", profile.path("bio").asText());
        assertTrue(remote.bodies().getFirst().contains("on Profile{") && !remote.bodies().getFirst().contains("More_"),
                "the remote gets its own type names: " + remote.bodies());
    }

    @Test
    void joinsAreMeasuredForDashboards() throws Exception {
        ok(client.query("{ author(limit: 3) { id profile { bio } } }"));
        var http = java.net.http.HttpClient.newHttpClient();
        String metrics = http.send(java.net.http.HttpRequest.newBuilder(sidecar.adminUri("/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("joinery_join_keys") && line.contains("target=\"profiles\"")), metrics);
        assertTrue(metrics.contains("joinery_db_query_seconds"), "the SQL is measured too");
    }

    @Test
    void explainShowsTheRemoteCallsAQueryWillMake() {
        GraphqlClient explain = new GraphqlClient(sidecar.graphqlUri("/v1/graphql/explain"), Map.of("x-joinery-admin-secret", TestSidecar.ADMIN_SECRET));
        JsonNode body = JsonTrees.parse("{\"query\": {\"query\": \"{ hello author(limit: 2) { id profile { bio } } }\"}}");
        JsonNode entries = explain.post(body).json();
        String text = entries.toString();
        assertTrue(text.contains("\"remote\":\"profiles\""), text);
        assertTrue(text.contains("author.profile"), text);
        assertTrue(text.contains("profile(") && text.contains("bio"), text);
        assertTrue(text.contains("\"sql\""), "the SQL is there too: " + text);
        assertEquals(0, remote.requests(), "explain calls no remote");
    }

    @Test
    void aRemoteAnswering500GivesNullsAndAnErrorAndTheRestIntact() {
        faultyJoin(aResponse().withStatus(500).withBody("{\"message\":\"boom\"}"));
        assertFaultyJoinFails();
    }

    @Test
    void aRemoteAnsweringBrokenJsonGivesNullsAndAnError() {
        faultyJoin(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"data\": {\"f0\": "));
        assertFaultyJoinFails();
    }

    @Test
    void aRemoteDroppingTheConnectionGivesNullsAndAnError() {
        faultyJoin(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        assertFaultyJoinFails();
    }

    @Test
    void aSlowRemoteIsCutAtItsTimeout() {
        faultyJoin(aResponse().withFixedDelay(12_000).withHeader("Content-Type", "application/json").withBody("{\"data\":{}}"));
        long start = System.nanoTime();
        assertFaultyJoinFails();
        long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
        System.out.println("a join to a remote that answers after 12 s, with a 2 s timeout, took " + elapsed + " ms");
        assertTrue(elapsed < 7_000, "the 2 s timeout bounds the call (the remote answers after 12 s), took " + elapsed + " ms");
    }

    private static void faultyJoin(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
        faulty.stubFor(post(urlEqualTo("/graphql")).withRequestBody(containing("JoineryJoin")).willReturn(response));
    }

    private static void assertFaultyJoinFails() {
        JsonNode response = client.query("{ author(limit: 2, order_by: {id: asc}) { name faultyProfile { bio } profile { bio } } }").json();
        JsonNode authors = response.path("data").path("author");
        assertEquals(2, authors.size(), response.toString());
        assertTrue(authors.get(0).path("faultyProfile").isNull(), response.toString());
        assertEquals("bio of 1", authors.get(0).path("profile").path("bio").asText(), "the healthy remote still joins");
        JsonNode error = response.path("errors").get(0);
        assertEquals("remote-schema-error", error.path("extensions").path("code").asText(), response.toString());
        assertTrue(error.path("message").asText().contains("faulty"), response.toString());
        assertTrue(error.path("extensions").path("path").asText().startsWith("$.author["), response.toString());
    }

    private static JsonNode ok(GraphqlClient.GraphqlResponse response) {
        assertEquals(200, response.status(), response.toString());
        assertTrue(response.errors() == null || response.errors().isMissingNode() || response.errors().isEmpty(), response.toString());
        return response.data();
    }

    private static JsonNode fieldNames(JsonNode object) {
        var names = JsonTrees.parse("[]");
        object.fieldNames().forEachRemaining(n -> ((com.fasterxml.jackson.databind.node.ArrayNode) names).add(n));
        return names;
    }

    private static String introspection(String sdl) {
        var schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl), RuntimeWiring.newRuntimeWiring().build());
        var result = GraphQL.newGraphQL(schema).build().execute(IntrospectionQuery.INTROSPECTION_QUERY);
        return JsonTrees.write(JsonTrees.tree(result.toSpecification()));
    }
}
