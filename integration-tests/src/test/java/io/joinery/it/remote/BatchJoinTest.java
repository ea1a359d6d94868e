package io.joinery.it.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch-native remote joins end to end: list-argument joins and Apollo Federation {@code _entities}
 * joins against real remote servers (graphql-java on Helidon; the subgraph is federation-jvm) that
 * count HTTP requests AND resolver invocations, so "one call" means the remote resolved the batch
 * once. The remote shuffles every list it returns; keys go missing, are null and repeat across rows.
 */
class BatchJoinTest {

    static TestDatabase db;
    static BatchRemoteServer remote;
    static BatchRemoteServer subgraph;
    static BatchRemoteServer flaky;
    static BatchRemoteServer flakySubgraph;
    static TestSidecar sidecar;
    static GraphqlClient client;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("batch").execute("""
                CREATE TABLE member (id integer PRIMARY KEY, friend_id integer, name text NOT NULL);
                INSERT INTO member SELECT g, CASE WHEN g % 10 = 0 THEN NULL ELSE g % 37 + 1 END, 'member ' || g
                  FROM generate_series(1, 500) g;
                CREATE TABLE item (id integer PRIMARY KEY, sku text NOT NULL, store_id integer NOT NULL);
                INSERT INTO item SELECT g, 'S' || (g % 8 + 1), g % 5 + 1 FROM generate_series(1, 60) g;
                """);
        remote = new BatchRemoteServer();
        subgraph = BatchRemoteServer.subgraph();
        flaky = BatchRemoteServer.flaky();
        flakySubgraph = BatchRemoteServer.flakySubgraph();
        sidecar = TestSidecar.start(db.url(), "/it/metadata-batch.yaml", Map.of(
                "BATCH_URL", remote.url(), "SUBGRAPH_URL", subgraph.url(),
                "FLAKY_URL", flaky.url(), "FLAKY_SUBGRAPH_URL", flakySubgraph.url()));
        client = sidecar.client();
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        flakySubgraph.close();
        flaky.close();
        subgraph.close();
        remote.close();
        db.close();
    }

    @BeforeEach
    void reset() {
        remote.reset();
        subgraph.reset();
    }

    // ---- list-argument joins

    @Test
    void aListArgumentJoinOf500RowsIsOneRequestAndOneResolverCall() {
        JsonNode members = ok(client.query("{ member(order_by: {id: asc}) { id profile { authorId bio followers } } }")).path("member");
        assertEquals(500, members.size());
        for (JsonNode member : members) {
            int id = member.path("id").asInt();
            if (id % 97 == 0) {
                assertTrue(member.path("profile").isNull(), "no profile for " + id + ": " + member);
            } else {
                assertEquals(id, member.path("profile").path("authorId").asInt(), member.toString());
                assertEquals("bio of " + id, member.path("profile").path("bio").asText(), member.toString());
                assertEquals(id * 10, member.path("profile").path("followers").asInt(), member.toString());
            }
        }
        assertEquals(1, remote.requests(), "one HTTP request");
        assertEquals(1, remote.resolverCalls("Query.profiles"), "one resolver call inside the remote");
        assertEquals(0, remote.resolverCalls("Query.profile"), "the per-key field is not used");
        assertTrue(remote.bodies().getFirst().contains("profiles(authorIds:$joinery_keys_0)"), "the keys go as one list variable: " + remote.bodies().getFirst());
    }

    @Test
    void theKeyFieldIsFetchedButNotShownWhenNotSelected() {
        JsonNode members = ok(client.query("{ member(limit: 3, order_by: {id: asc}) { name profile { bio } } }")).path("member");
        assertEquals("[\"name\",\"profile\"]", JsonTrees.write(fieldNames(members.get(0))), "no phantom key of the row");
        assertEquals("[\"bio\"]", JsonTrees.write(fieldNames(members.get(0).path("profile"))), "no phantom key of the remote");
        assertEquals("bio of 1", members.get(0).path("profile").path("bio").asText());
        assertTrue(remote.bodies().getFirst().contains("__joinery_match_0:authorId"), remote.bodies().getFirst());
    }

    @Test
    void aClientAliasThatLooksLikeAPhantomDoesNotCollide() {
        JsonNode member = ok(client.query("{ member(where: {id: {_eq: 5}}) { profile { __joinery_match_0: bio authorId } } }"))
                .path("member").get(0);
        assertEquals("bio of 5", member.path("profile").path("__joinery_match_0").asText(), member.toString());
        assertEquals(5, member.path("profile").path("authorId").asInt(), member.toString());
    }

    @Test
    void nullKeysGiveNullWithoutSendingThemAndRepeatedKeysAreSentOnce() {
        JsonNode members = ok(client.query("{ member(order_by: {id: asc}) { id friend_id friendProfile { authorId bio } } }")).path("member");
        assertEquals(500, members.size());
        Set<Integer> distinct = new HashSet<>();
        for (JsonNode member : members) {
            if (member.path("friend_id").isNull()) {
                assertTrue(member.path("friendProfile").isNull(), member.toString());
                continue;
            }
            int friend = member.path("friend_id").asInt();
            distinct.add(friend);
            assertEquals(friend, member.path("friendProfile").path("authorId").asInt(), member.toString());
            assertEquals("bio of " + friend, member.path("friendProfile").path("bio").asText(), member.toString());
        }
        assertEquals(1, remote.requests());
        assertEquals(1, remote.resolverCalls("Query.profiles"));
        String sent = remote.bodies().getFirst();
        String list = sent.substring(sent.indexOf("\"joinery_keys_0\":[") + "\"joinery_keys_0\":[".length(), sent.indexOf(']', sent.indexOf("\"joinery_keys_0\":[")));
        assertEquals(distinct.size(), list.split(",").length, "each distinct key once, no null: " + list);
        assertFalse(list.contains("null"), list);
    }

    @Test
    void aFilterArgumentTakesTheKeysToo() {
        JsonNode members = ok(client.query("{ member(where: {id: {_lte: 100}}, order_by: {id: asc}) { id filteredProfile { authorId } } }"))
                .path("member");
        for (JsonNode member : members) {
            int id = member.path("id").asInt();
            assertEquals(id % 97 == 0 ? 0 : id, member.path("filteredProfile").path("authorId").asInt(), member.toString());
        }
        assertEquals(1, remote.resolverCalls("Query.profilesWhere"));
        assertTrue(remote.bodies().getFirst().contains("profilesWhere(where:{authorId:{_in:$joinery_keys_0}}"), remote.bodies().getFirst());
    }

    @Test
    void aBatchFieldBehindANestedPath() {
        JsonNode members = ok(client.query("{ member(where: {id: {_lte: 50}}, order_by: {id: asc}) { id nestedProfile { bio } } }"))
                .path("member");
        assertEquals(50, members.size());
        assertEquals("bio of 7", members.get(6).path("nestedProfile").path("bio").asText(), members.get(6).toString());
        assertEquals(1, remote.resolverCalls("Directory.profiles"));
        String sent = remote.bodies().getFirst();
        assertTrue(sent.contains("f0:directory(region:") && sent.contains("{profiles(authorIds:$joinery_keys_0)") && sent.contains("[1,2,3,"), sent);
    }

    @Test
    void anArrayJoinGroupsTheResultsByKey() {
        JsonNode members = ok(client.query("{ member(where: {id: {_lte: 40}}, order_by: {id: asc}) { id posts { id authorId title } } }"))
                .path("member");
        assertEquals(40, members.size());
        for (JsonNode member : members) {
            int id = member.path("id").asInt();
            JsonNode posts = member.path("posts");
            assertTrue(posts.isArray(), member.toString());
            assertEquals(id % 4, posts.size(), "author " + id + " has " + id % 4 + " posts (none: []): " + member);
            Set<String> ids = new HashSet<>();
            for (JsonNode post : posts) {
                assertEquals(String.valueOf(id), post.path("authorId").asText(), "an ID key matches an int column: " + member);
                ids.add(post.path("id").asText());
            }
            assertEquals(id % 4, ids.size(), member.toString());
        }
        assertEquals(1, remote.requests());
        assertEquals(1, remote.resolverCalls("Query.posts"));
    }

    @Test
    void compositeKeysGoAsOneListOfInputObjects() {
        JsonNode items = ok(client.query("{ item(order_by: {id: asc}) { id sku store_id stock { quantity sku store } } }")).path("item");
        assertEquals(60, items.size());
        for (JsonNode item : items) {
            int store = item.path("store_id").asInt();
            if (store == 3) {
                assertTrue(item.path("stock").isNull(), "no stock in store 3: " + item);
            } else {
                int sku = Integer.parseInt(item.path("sku").asText().substring(1));
                assertEquals(10 * sku + store, item.path("stock").path("quantity").asInt(), item.toString());
            }
        }
        assertEquals(1, remote.resolverCalls("Query.stocks"));
        JsonNode sent = json(remote.bodies().getFirst());
        assertTrue(sent.path("query").asText().contains("stocks(keys:$joinery_keys_0)"), "the keys go as one variable: " + sent);
        JsonNode keys = sent.path("variables").path("joinery_keys_0");
        assertEquals(40, keys.size(), "one element per distinct (sku, store) of the 60 rows: " + sent);
        assertEquals("{\"sku\":\"S2\",\"store\":2}", keys.get(0).toString(), "objects of the key type's fields: " + sent);
    }

    private static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(text, e);
        }
    }

    @Test
    void severalResultsForOneKeyOfAnObjectJoinAreAnErrorNotAGuess() {
        JsonNode response = client.query("{ member(where: {id: {_lte: 4}}, order_by: {id: asc}) { id duplicatedProfile { authorId } } }").json();
        JsonNode members = response.path("data").path("member");
        assertEquals(1, members.get(0).path("duplicatedProfile").path("authorId").asInt(), response.toString());
        assertTrue(members.get(1).path("duplicatedProfile").isNull(), response.toString());
        assertEquals(3, members.get(2).path("duplicatedProfile").path("authorId").asInt(), response.toString());
        assertTrue(members.get(3).path("duplicatedProfile").isNull(), response.toString());
        List<String> messages = new ArrayList<>();
        for (JsonNode error : response.path("errors")) {
            assertEquals("remote-schema-error", error.path("extensions").path("code").asText(), response.toString());
            messages.add(error.path("extensions").path("path").asText() + " " + error.path("message").asText());
        }
        assertEquals(2, messages.size(), response.toString());
        assertTrue(messages.get(0).startsWith("$.member[1].duplicatedProfile ") && messages.get(0).contains("(authorId: 2)"), messages.toString());
        assertTrue(messages.get(1).startsWith("$.member[3].duplicatedProfile ") && messages.get(1).contains("(authorId: 4)"), messages.toString());
    }

    @Test
    void anErrorInsideOneResultIsReportedAtItsRow() {
        JsonNode response = client.query("{ member(where: {id: {_in: [3, 4]}}, order_by: {id: asc}) { id profile { bio broken } } }").json();
        JsonNode members = response.path("data").path("member");
        assertEquals("bio of 3", members.get(0).path("profile").path("bio").asText(), response.toString());
        assertEquals("bio of 4", members.get(1).path("profile").path("bio").asText(), response.toString());
        Set<String> paths = new HashSet<>();
        response.path("errors").forEach(e -> paths.add(e.path("extensions").path("path").asText()));
        assertEquals(Set.of("$.member[0].profile.broken", "$.member[1].profile.broken"), paths, response.toString());
    }

    @Test
    void aRemoteErrorGivesNullsAndAnErrorAndTheRestIntact() {
        JsonNode response = client.query("{ member(limit: 3, order_by: {id: asc}) { name failingProfile { bio } profile { bio } } }").json();
        JsonNode members = response.path("data").path("member");
        assertEquals(3, members.size(), response.toString());
        assertTrue(members.get(0).path("failingProfile").isNull(), response.toString());
        assertEquals("bio of 1", members.get(0).path("profile").path("bio").asText(), "the other join still works");
        JsonNode error = response.path("errors").get(0);
        assertEquals("remote-schema-error", error.path("extensions").path("code").asText(), response.toString());
        assertTrue(error.path("message").asText().contains("profiles are down"), response.toString());
        assertTrue(error.path("extensions").path("path").asText().startsWith("$.member["), response.toString());
    }

    @Test
    void aRemoteThatIsDownGivesNullsAndAnErrorAndTheRestIntact() {
        flaky.close();
        flakySubgraph.close();
        JsonNode response = client.query("{ member(limit: 2, order_by: {id: asc}) { name flakyProfile { bio } flakyBadge { name } profile { bio } } }").json();
        JsonNode members = response.path("data").path("member");
        assertEquals(2, members.size(), response.toString());
        assertTrue(members.get(0).path("flakyProfile").isNull(), response.toString());
        assertTrue(members.get(0).path("flakyBadge").isNull(), response.toString());
        assertEquals("bio of 1", members.get(0).path("profile").path("bio").asText(), "the healthy remote still joins");
        for (JsonNode error : response.path("errors")) {
            assertEquals("remote-schema-error", error.path("extensions").path("code").asText(), response.toString());
            assertTrue(error.path("extensions").path("path").asText().startsWith("$.member[0].flaky"), response.toString());
        }
        assertEquals(2, response.path("errors").size(), response.toString());
    }

    // ---- the per-key form stays

    @Test
    void thePerKeyFormIsStillOneRequestButOneResolverCallPerKey() {
        JsonNode members = ok(client.query("{ member(order_by: {id: asc}) { id perKeyProfile { bio } } }")).path("member");
        assertEquals("bio of 500", members.get(499).path("perKeyProfile").path("bio").asText());
        assertEquals(1, remote.requests(), "batch_size 1000: one request");
        assertEquals(500, remote.resolverCalls("Query.profile"), "the remote resolves each aliased field");
    }

    @Test
    void aBatchFieldTheRemoteLacksFallsBackToThePerKeyField() {
        JsonNode members = ok(client.query("{ member(where: {id: {_lte: 10}}, order_by: {id: asc}) { id fallbackProfile { bio } } }"))
                .path("member");
        assertEquals("bio of 10", members.get(9).path("fallbackProfile").path("bio").asText());
        assertEquals(1, remote.requests());
        assertEquals(10, remote.resolverCalls("Query.profile"));
    }

    // ---- federation

    @Test
    void anEntitiesJoinOf500RowsIsOneRequestWith500Representations() {
        JsonNode members = ok(client.query("{ member(order_by: {id: asc}) { id account { authorId handle followers } } }")).path("member");
        assertEquals(500, members.size());
        for (JsonNode member : members) {
            int id = member.path("id").asInt();
            if (id % 89 == 0) {
                assertTrue(member.path("account").isNull(), "no account for " + id + ": " + member);
            } else {
                assertEquals("@" + id, member.path("account").path("handle").asText(), member.toString());
                assertEquals(id * 10, member.path("account").path("followers").asInt(), member.toString());
            }
        }
        assertEquals(1, subgraph.requests(), "one HTTP request");
        assertEquals(1, subgraph.resolverCalls("Query._entities"), "one _entities call");
        assertEquals(500, subgraph.representations(), "500 representations");
        String body = subgraph.bodies().getFirst();
        assertTrue(body.contains("_entities(representations:$joinery_representations){...on Account{"), body);
        assertTrue(body.contains("{\"__typename\":\"Account\",\"authorId\":1}"), body);
    }

    @Test
    void entitiesWithNullAndRepeatedKeys() {
        JsonNode members = ok(client.query("{ member(order_by: {id: asc}) { friend_id friendAccount { handle } } }")).path("member");
        assertEquals(500, members.size());
        Set<Integer> distinct = new HashSet<>();
        for (JsonNode member : members) {
            if (member.path("friend_id").isNull()) {
                assertTrue(member.path("friendAccount").isNull(), member.toString());
            } else {
                distinct.add(member.path("friend_id").asInt());
                assertEquals("@" + member.path("friend_id").asInt(), member.path("friendAccount").path("handle").asText(), member.toString());
            }
        }
        assertEquals(1, subgraph.requests());
        assertEquals(distinct.size(), subgraph.representations(), "one representation per distinct key");
    }

    @Test
    void entitiesWithACompositeKey() {
        JsonNode items = ok(client.query("{ item(order_by: {id: asc}) { sku store_id shelf { capacity } } }")).path("item");
        for (JsonNode item : items) {
            int store = item.path("store_id").asInt();
            JsonNode shelf = item.path("shelf");
            if (store == 3) {
                assertTrue(shelf.isNull(), item.toString());
            } else {
                assertEquals(100 * Integer.parseInt(item.path("sku").asText().substring(1)) + store, shelf.path("capacity").asInt(), item.toString());
            }
        }
        assertEquals(1, subgraph.requests());
        assertEquals(40, subgraph.representations(), "the distinct (sku, store) pairs of 60 rows");
    }

    @Test
    void anErrorInsideOneEntityIsReportedAtItsRow() {
        JsonNode response = client.query("{ member(where: {id: {_in: [2, 3]}}, order_by: {id: asc}) { id account { handle broken } } }").json();
        JsonNode members = response.path("data").path("member");
        assertEquals("@2", members.get(0).path("account").path("handle").asText(), response.toString());
        Set<String> paths = new HashSet<>();
        response.path("errors").forEach(e -> paths.add(e.path("extensions").path("path").asText()));
        assertEquals(Set.of("$.member[0].account.broken", "$.member[1].account.broken"), paths, response.toString());
    }

    @Test
    void subgraphRootFieldsAreMergedButItsPlumbingIsNot() {
        JsonNode data = ok(client.query("{ account(authorId: 7) { handle } }"));
        assertEquals("@7", data.path("account").path("handle").asText());
        JsonNode service = client.query("{ _service { sdl } }").json();
        assertTrue(service.path("errors").get(0).path("message").asText().contains("_service"), service.toString());
        JsonNode entities = client.query("query { _entities(representations: []) { __typename } }").json();
        assertTrue(entities.path("errors").isArray() && !entities.path("errors").isEmpty(), entities.toString());
        JsonNode types = ok(client.query("{ __schema { types { name } } }")).path("__schema").path("types");
        assertTrue(types.toString().contains("\"member\""), "the schema's types are listed: " + types);
        for (JsonNode type : types) {
            String name = type.path("name").asText();
            assertFalse(Set.of("_Service", "_Entity", "_Any", "link__Purpose", "link__Import").contains(name), "hidden from clients: " + name);
        }
    }

    @Test
    void entityTypesOfASubgraphJoinTables() {
        JsonNode root = ok(client.query("{ account(authorId: 5) { handle member { name } } }"));
        assertEquals("member 5", root.path("account").path("member").path("name").asText(), root.toString());
        JsonNode members = ok(client.query("{ member(where: {id: {_lte: 3}}, order_by: {id: asc}) { id account { handle member { friend_id } } } }"))
                .path("member");
        assertEquals(3, members.size());
        for (JsonNode member : members) {
            assertEquals(member.path("id").asInt() % 37 + 1, member.path("account").path("member").path("friend_id").asInt(), member.toString());
        }
        assertEquals(2, subgraph.requests(), "one request for the root field, one _entities request for the join");
    }

    @Test
    void rowsSharingAKeyEachGetTheTablesJoinedIntoTheirRemoteValue() {
        JsonNode members = ok(client.query("{ member(where: {id: {_lte: 80}}, order_by: {id: asc}) { friend_id friendAccount { member { id } } } }"))
                .path("member");
        assertEquals(80, members.size());
        for (JsonNode member : members) {
            if (!member.path("friend_id").isNull()) {
                assertEquals(member.path("friend_id").asInt(), member.path("friendAccount").path("member").path("id").asInt(), member.toString());
            }
        }
    }

    // ---- consistency

    @Test
    void inconsistentBatchRelationshipsAreLeftOutAndTheRestWorks() {
        for (String field : List.of("notAList", "wrongKeyType", "notAnEntityKey")) {
            JsonNode response = client.query("{ member(limit: 1) { id " + field + " { __typename } } }").json();
            assertTrue(response.path("errors").get(0).path("message").asText().contains(field), response.toString());
        }
        assertEquals(1, ok(client.query("{ member(limit: 1) { id profile { bio } } }")).path("member").size());
    }

    // ---- chunks

    @Test
    void aboveTheBatchSizeKeysGoInConcurrentChunksOfOneResolverCallEach() {
        try (TestSidecar chunked = TestSidecar.start(db.url(), "/it/metadata-batch-chunked.yaml", Map.of(
                "BATCH_URL", remote.url(), "SUBGRAPH_URL", subgraph.url()))) {
            remote.reset();
            subgraph.reset();
            JsonNode members = ok(chunked.client().query("{ member(order_by: {id: asc}) { id profile { bio } account { handle } } }"))
                    .path("member");
            assertEquals(500, members.size());
            assertEquals("bio of 500", members.get(499).path("profile").path("bio").asText());
            assertEquals("@500", members.get(499).path("account").path("handle").asText());
            assertEquals(5, remote.requests(), "500 keys in chunks of 100");
            assertEquals(5, remote.resolverCalls("Query.profiles"));
            assertEquals(5, subgraph.requests());
            assertEquals(500, subgraph.representations());
        }
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
}
