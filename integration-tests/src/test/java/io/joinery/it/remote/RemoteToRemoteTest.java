package io.joinery.it.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import graphql.GraphQL;
import graphql.introspection.IntrospectionQuery;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.JoinedRemoteServer;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.StatementRecorder;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Remote schema → remote schema relationships end to end ({@code Profile.account}): two real remote
 * GraphQL servers (graphql-java on Helidon) that count requests and resolver calls, WireMock for
 * the faults, a real sidecar and Postgres. Every join is ONE request to its remote per level,
 * whatever the number of objects, in each form, at any depth and mixed with tables.
 */
class RemoteToRemoteTest {

    private static final String FAULTY_SDL = """
            type Query { faultyAccount(id: Int!): FaultyAccount }
            type FaultyAccount { name: String }
            """;

    static TestDatabase db;
    static JoinedRemoteServer profiles;
    static JoinedRemoteServer accounts;
    static WireMockServer faulty;
    static TestSidecar sidecar;
    static GraphqlClient client;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("remoteremote").load("/it/schema.sql");
        profiles = JoinedRemoteServer.profiles();
        accounts = JoinedRemoteServer.accounts();
        faulty = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        faulty.start();
        faulty.stubFor(post(urlEqualTo("/graphql")).withRequestBody(containing("__schema"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(introspection(FAULTY_SDL))));
        sidecar = TestSidecar.start(db.url(), "/it/metadata-remote-to-remote.yaml", Map.of(
                "PROFILES_URL", profiles.url(), "ACCOUNTS_URL", accounts.url(),
                "FAULTY_URL", "http://127.0.0.1:" + faulty.port() + "/graphql"));
        client = sidecar.client();
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        faulty.stop();
        accounts.close();
        profiles.close();
        db.close();
    }

    @BeforeEach
    void reset() {
        profiles.reset();
        accounts.reset();
    }

    // ---- one request per join

    @ParameterizedTest
    @ValueSource(ints = {1, 50})
    void aRemoteTypeJoinsAnotherRemoteInOneRequestForAllItsObjects(int count) {
        JsonNode list = ok(client.query("query ($ids: [Int!]!) { profiles(authorIds: $ids) { authorId accountId account { id name } } }",
                Map.of("ids", IntStream.rangeClosed(1, count).boxed().toList()))).path("profiles");
        assertEquals(count, list.size());
        Set<Integer> distinct = new HashSet<>();
        for (JsonNode profile : list) {
            JsonNode account = profile.path("account");
            if (profile.path("accountId").isNull()) {
                assertTrue(account.isNull(), "a null key gives null: " + profile);
                continue;
            }
            int accountId = profile.path("accountId").asInt();
            distinct.add(accountId);
            if (accountId == 7) {
                assertTrue(account.isNull(), "account 7 does not exist: " + profile);
            } else {
                assertEquals(accountId, account.path("id").asInt(), profile.toString());
                assertEquals("account " + accountId, account.path("name").asText(), profile.toString());
            }
        }
        assertEquals(1, profiles.requests(), "one request to A");
        assertEquals(1, accounts.requests(), "ONE request to B for the " + count + " profiles");
        assertEquals(distinct.size(), accounts.resolverCalls("Query.account"), "each distinct key once: " + distinct);
        assertFalse(accounts.bodies().getFirst().contains("null"), "no call for a null key: " + accounts.bodies().getFirst());
    }

    @Test
    void theKeyFieldIsFetchedButNotShownAndTheFieldOrderHolds() {
        JsonNode profile = ok(client.query("{ profile(authorId: 3) { bio account { name } handle } }")).path("profile");
        assertEquals(List.of("bio", "account", "handle"), fieldNames(profile), "no phantom key, the client's order: " + profile);
        assertEquals("account 4", profile.path("account").path("name").asText(), profile.toString());
        assertTrue(profiles.bodies().getFirst().contains("__joinery_key_account_accountId:accountId"), profiles.bodies().getFirst());

        JsonNode both = ok(client.query("{ profile(authorId: 3) { accountId account { id } } }")).path("profile");
        assertEquals(List.of("accountId", "account"), fieldNames(both), "a selected key field stays: " + both);
        assertEquals(4, both.path("accountId").asInt());
    }

    @Test
    void aListArgumentJoinFromARemoteTypeIsOneResolverCall() {
        JsonNode list = ok(client.query("{ profiles(authorIds: [" + ids(1, 50) + "]) { authorId accountId listedAccount { id name } } }"))
                .path("profiles");
        assertEquals(50, list.size(), list.toString());
        for (JsonNode profile : list) {
            int accountId = profile.path("accountId").asInt(0);
            if (accountId == 0 || accountId == 7) {
                assertTrue(profile.path("listedAccount").isNull(), profile.toString());
            } else {
                assertEquals("account " + accountId, profile.path("listedAccount").path("name").asText(), profile.toString());
            }
            assertFalse(profile.path("listedAccount").has("__joinery_match_0"), profile.toString());
        }
        assertEquals(1, accounts.requests());
        assertEquals(1, accounts.resolverCalls("Query.accounts"), "the remote resolves the batch once");
        assertEquals(0, accounts.resolverCalls("Query.account"));
        assertTrue(accounts.bodies().getFirst().contains("accounts(ids:$joinery_keys_0)"), accounts.bodies().getFirst());
    }

    @Test
    void anArrayListArgumentJoinGroupsTheResultsOfEachKey() {
        JsonNode list = ok(client.query("{ profiles(authorIds: [4, 5, 4]) { authorId ownedAccounts { id ownerId } } }")).path("profiles");
        assertEquals(3, list.size(), list.toString());
        for (JsonNode profile : list) {
            int owner = profile.path("authorId").asInt();
            Set<Integer> owned = new HashSet<>();
            profile.path("ownedAccounts").forEach(a -> {
                assertEquals(owner, a.path("ownerId").asInt(), profile.toString());
                owned.add(a.path("id").asInt());
            });
            assertEquals(Set.of(owner, owner + 1000), owned, profile.toString());
        }
        assertEquals(1, accounts.resolverCalls("Query.accountsOf"));
    }

    @Test
    void aFederationJoinFromARemoteTypeSendsOneEntitiesRequest() {
        JsonNode list = ok(client.query("{ profiles(authorIds: [" + ids(1, 50) + "]) { accountId entityAccount { id name } } }"))
                .path("profiles");
        assertEquals(50, list.size(), list.toString());
        for (JsonNode profile : list) {
            int accountId = profile.path("accountId").asInt(0);
            if (accountId == 0 || accountId == 7) {
                assertTrue(profile.path("entityAccount").isNull(), profile.toString());
            } else {
                assertEquals(accountId, profile.path("entityAccount").path("id").asInt(), profile.toString());
            }
        }
        assertEquals(1, accounts.requests());
        assertEquals(1, accounts.resolverCalls("Query._entities"));
        assertTrue(accounts.bodies().getFirst().contains("_entities(representations:$joinery_representations)"), accounts.bodies().getFirst());
    }

    @Test
    void theThreeFormsInOneQueryAreOneRequestEach() {
        ok(client.query("{ profiles(authorIds: [" + ids(1, 30) + "]) { account { id } listedAccount { id } entityAccount { id } } }"));
        assertEquals(1, profiles.requests());
        assertEquals(3, accounts.requests(), "one request per join");
    }

    @Test
    void allKeysOfALevelGoInOneCallByDefault() {
        JsonNode list = ok(client.query("{ profiles(authorIds: [" + ids(1, 250) + "]) { authorId ownedAccounts { id } } }")).path("profiles");
        assertEquals(250, list.size());
        for (JsonNode profile : list) {
            assertEquals(2, profile.path("ownedAccounts").size(), profile.toString());
        }
        assertEquals(1, accounts.requests(), "250 distinct keys in one call: no batch_size caps them");
        assertEquals(1, accounts.resolverCalls("Query.accountsOf"));
    }

    @Test
    void aRemoteTypeJoinsItsOwnRemote() {
        JsonNode profile = ok(client.query("{ profile(authorId: 12) { authorId accountId buddy { authorId bio } } }")).path("profile");
        assertEquals(6, profile.path("accountId").asInt());
        assertEquals("bio of 6", profile.path("buddy").path("bio").asText(), profile.toString());
        assertEquals(2, profiles.requests(), "the root field, then the join");
    }

    @Test
    void objectsInsideListsBelowTheRemoteFieldJoinToo() {
        JsonNode team = ok(client.query("{ team(id: 2) { id members { authorId account { id } } } }")).path("team");
        assertEquals(3, team.path("members").size());
        for (JsonNode member : team.path("members")) {
            assertEquals(member.path("authorId").asInt() % 7 + 1, member.path("account").path("id").asInt(), team.toString());
        }
        assertEquals(1, accounts.requests());
    }

    // ---- nesting

    @Test
    void aTableJoinsARemoteThatJoinsAnotherRemote() {
        JsonNode authors = ok(client.query("{ author(order_by: {id: asc}) { id profile { accountId account { id name } } } }")).path("author");
        assertEquals(10, authors.size());
        for (JsonNode author : authors) {
            JsonNode profile = author.path("profile");
            int accountId = profile.path("accountId").asInt(0);
            assertEquals(author.path("id").asInt() == 10 ? 0 : author.path("id").asInt() % 7 + 1, accountId, author.toString());
            if (accountId != 0 && accountId != 7) {
                assertEquals("account " + accountId, profile.path("account").path("name").asText(), author.toString());
            }
        }
        assertEquals(1, profiles.requests(), "table → A: one request");
        assertEquals(1, accounts.requests(), "A → B: one request");
    }

    @Test
    void aRemoteJoinsARemoteThatJoinsATable() {
        JsonNode list = ok(client.query("{ profiles(authorIds: [1, 2, 3, 4, 5, 8, 9]) { authorId account { id owner { id name } } } }"))
                .path("profiles");
        assertEquals(7, list.size(), list.toString());
        for (JsonNode profile : list) {
            int accountId = profile.path("authorId").asInt() % 7 + 1;
            JsonNode owner = profile.path("account").path("owner");
            if (accountId == 7) {
                assertTrue(profile.path("account").isNull(), profile.toString());
            } else {
                assertEquals(accountId, owner.path("id").asInt(), profile.toString());
                assertFalse(owner.path("name").asText().isEmpty(), profile.toString());
            }
        }
        assertEquals(1, profiles.requests());
        assertEquals(1, accounts.requests());
        assertFalse(list.toString().contains("__joinery"), "no phantom keys at any level: " + list);
    }

    @Test
    void objectsThatShareAKeyEachGetTheJoinsBelow() {
        JsonNode list = ok(client.query("{ profiles(authorIds: [3, 3, 10]) { author { id profile { bio account { name } } } } }")).path("profiles");
        assertEquals(3, list.size(), list.toString());
        for (JsonNode profile : list) {
            JsonNode inner = profile.path("author").path("profile");
            assertEquals("bio of " + profile.path("author").path("id").asInt(), inner.path("bio").asText(), list.toString());
        }
        assertEquals("account 4", list.get(0).path("author").path("profile").path("account").path("name").asText(), list.toString());
        assertEquals("account 4", list.get(1).path("author").path("profile").path("account").path("name").asText(), list.toString());
        assertTrue(list.get(2).path("author").path("profile").path("account").isNull(), "author 10 has no account: " + list);
        assertEquals(2, profiles.requests(), "the root field, then table → remote");
        assertEquals(1, accounts.requests());
    }

    @Test
    void eachLevelOfRemoteRemoteTableIsOneRequestOrOneStatement() throws Exception {
        try (StatementRecorder recorder = StatementRecorder.forward(db.url())) {
            TestSidecar counted = TestSidecar.start(recorder.url(db.url()), "/it/metadata-remote-to-remote.yaml", Map.of(
                    "PROFILES_URL", profiles.url(), "ACCOUNTS_URL", accounts.url(),
                    "FAULTY_URL", "http://127.0.0.1:" + faulty.port() + "/graphql"));
            try (counted) {
                profiles.reset();
                accounts.reset();
                int from = recorder.executed().size();
                JsonNode list = ok(counted.client().query("{ profiles(authorIds: [" + ids(1, 50) + "]) { account { owner { id } } } }"))
                        .path("profiles");
                assertEquals(50, list.size());
                var statements = recorder.executedSince(from);
                assertEquals(1, statements.size(), "B → table: one statement for every account: " + statements);
                assertTrue(statements.getFirst().contains("jsonb_to_recordset"), statements.toString());
                assertEquals(1, profiles.requests(), "A: one request");
                assertEquals(1, accounts.requests(), "A → B: one request");
            }
        }
    }

    @Test
    void joinsNestAtAnyDepth() {
        JsonNode authors = ok(client.query("""
                { author(where: {id: {_lte: 5}}, order_by: {id: asc}) {
                    id
                    profile { account { name holder { authorId author { id } buddy { authorId } } owner { id } } }
                } }""")).path("author");
        assertEquals(5, authors.size(), authors.toString());
        for (JsonNode author : authors) {
            int accountId = author.path("id").asInt() % 7 + 1;
            JsonNode account = author.path("profile").path("account");
            assertEquals("account " + accountId, account.path("name").asText(), author.toString());
            assertEquals(accountId, account.path("owner").path("id").asInt(), author.toString());
            assertEquals(accountId, account.path("holder").path("authorId").asInt(), author.toString());
            assertEquals(accountId, account.path("holder").path("author").path("id").asInt(), author.toString());
            assertEquals(accountId % 7 + 1, account.path("holder").path("buddy").path("authorId").asInt(), author.toString());
        }
        assertFalse(authors.toString().contains("__joinery"), authors.toString());
        assertEquals(3, profiles.requests(), "table → A, B → A (holder), A → A (buddy): one request each");
        assertEquals(1, accounts.requests(), "A → B: one request");
    }

    // ---- failures

    @Test
    void aRemoteAnswering500GivesNullsAndAnErrorAndTheRestIntact() {
        faultyJoin(aResponse().withStatus(500).withBody("{\"message\":\"boom\"}"));
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

    @Test
    void anErrorOfTheJoinedRemoteSaysWhere() {
        JsonNode response = client.query("{ profiles(authorIds: [1, 2]) { authorId account { name broken } } }").json();
        JsonNode list = response.path("data").path("profiles");
        assertEquals("account 2", list.get(0).path("account").path("name").asText(), response.toString());
        Set<String> paths = new HashSet<>();
        for (JsonNode error : response.path("errors")) {
            assertEquals("remote-schema-error", error.path("extensions").path("code").asText(), response.toString());
            paths.add(error.path("extensions").path("path").asText());
        }
        assertEquals(Set.of("$.profiles[0].account.broken", "$.profiles[1].account.broken"), paths, response.toString());
    }

    // ---- around the joins

    @Test
    void explainShowsTheJoinsIntoRemoteAnswers() {
        GraphqlClient explain = new GraphqlClient(sidecar.graphqlUri("/v1/graphql/explain"), Map.of("x-joinery-admin-secret", TestSidecar.ADMIN_SECRET));
        JsonNode entries = explain.post(JsonTrees.parse("""
                {"query": {"query": "{ profiles(authorIds: [1]) { account { name owner { id } } listedAccount { id } } }"}}""")).json();
        Map<String, JsonNode> byField = new java.util.LinkedHashMap<>();
        entries.forEach(entry -> byField.put(entry.path("field").asText(), entry));
        assertEquals(List.of("profiles", "profiles.account", "profiles.account.owner", "profiles.listedAccount"), List.copyOf(byField.keySet()),
                entries.toString());
        assertEquals("accounts", byField.get("profiles.account").path("remote").asText());
        assertTrue(byField.get("profiles.account").path("calls").asText().startsWith("one request per level"), entries.toString());
        assertTrue(byField.get("profiles.listedAccount").path("query").asText().contains("accounts("), entries.toString());
        assertTrue(byField.get("profiles.account.owner").path("sql").asText().contains("jsonb_to_recordset"), entries.toString());
        assertTrue(byField.get("profiles").path("query").asText().contains("__joinery_key_account_accountId:accountId"), entries.toString());
        assertEquals(0, profiles.requests() + accounts.requests(), "explain calls no remote");
    }

    @Test
    void theRelationshipIsInTheSchemaOfEachRoleThatReachesItsTarget() {
        for (GraphqlClient as : List.of(client, client.withHeaders(Map.of("x-joinery-role", "user")))) {
            Map<String, JsonNode> byName = profileFields(as);
            assertEquals("Account", byName.get("account").path("type").path("name").asText(), byName.toString());
            assertEquals("LIST", byName.get("ownedAccounts").path("type").path("kind").asText(), byName.toString());
            assertTrue(byName.containsKey("buddy") && byName.containsKey("entityAccount") && byName.containsKey("listedAccount"), byName.toString());
        }
        assertFalse(profileFields(client.withHeaders(Map.of("x-joinery-role", "user"))).containsKey("faultyAccount"),
                "user has no permission on remote schema faulty");
        Map<String, JsonNode> partial = profileFields(client.withHeaders(Map.of("x-joinery-role", "partial")));
        assertEquals(List.of("accountId", "authorId", "bio", "buddy"), partial.keySet().stream().sorted().toList(),
                "partial sees no relationship into accounts, which it has no permission on");
        JsonNode stranger = ok(client.withHeaders(Map.of("x-joinery-role", "stranger")).query("{ __type(name: \"Profile\") { name } }"));
        assertTrue(stranger.path("__type").isNull(), "a role without permissions sees nothing of the remotes: " + stranger);
    }

    private static Map<String, JsonNode> profileFields(GraphqlClient as) {
        JsonNode fields = ok(as.query("{ __type(name: \"Profile\") { fields { name type { name kind ofType { name } } } } }"))
                .path("__type").path("fields");
        Map<String, JsonNode> byName = new java.util.LinkedHashMap<>();
        fields.forEach(f -> byName.put(f.path("name").asText(), f));
        return byName;
    }

    @Test
    void theJoinIsMeasuredLikeTheOthers() throws Exception {
        ok(client.query("{ profiles(authorIds: [1, 2, 3]) { account { name } } }"));
        var http = java.net.http.HttpClient.newHttpClient();
        String metrics = http.send(java.net.http.HttpRequest.newBuilder(sidecar.adminUri("/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("joinery_join_keys") && line.contains("target=\"accounts\"")), metrics);
    }

    private static void faultyJoin(ResponseDefinitionBuilder response) {
        faulty.stubFor(post(urlEqualTo("/graphql")).withRequestBody(containing("JoineryJoin")).willReturn(response));
    }

    private static void assertFaultyJoinFails() {
        JsonNode response = client.query("{ profiles(authorIds: [1, 2]) { authorId bio faultyAccount { name } account { name } } }").json();
        JsonNode list = response.path("data").path("profiles");
        assertEquals(2, list.size(), response.toString());
        for (JsonNode profile : list) {
            assertTrue(profile.path("faultyAccount").isNull(), response.toString());
            assertEquals("bio of " + profile.path("authorId").asInt(), profile.path("bio").asText(), "A's data is intact: " + response);
            assertEquals("account " + (profile.path("authorId").asInt() % 7 + 1), profile.path("account").path("name").asText(),
                    "the healthy remote still joins: " + response);
        }
        assertEquals(1, response.path("errors").size(), response.toString());
        JsonNode error = response.path("errors").get(0);
        assertEquals("remote-schema-error", error.path("extensions").path("code").asText(), response.toString());
        assertTrue(error.path("message").asText().contains("faulty"), response.toString());
        assertEquals("$.profiles[0].faultyAccount", error.path("extensions").path("path").asText(), response.toString());
    }

    private static String ids(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(String::valueOf).collect(Collectors.joining(", "));
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode ok(GraphqlClient.GraphqlResponse response) {
        assertEquals(200, response.status(), response.toString());
        assertTrue(response.errors() == null || response.errors().isMissingNode() || response.errors().isEmpty(), response.toString());
        return response.data();
    }

    private static String introspection(String sdl) {
        var schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl), RuntimeWiring.newRuntimeWiring().build());
        var result = GraphQL.newGraphQL(schema).build().execute(IntrospectionQuery.INTROSPECTION_QUERY);
        return JsonTrees.write(JsonTrees.tree(result.toSpecification()));
    }
}
