package io.joinery.it.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A remote relationship's field takes the arguments of its remote field that the relationship does not set, as
 * in Hasura: an argument left out as the remote declares it, a partly set input object as
 * {@code <Type>_remote_rel_<table><relationship>} with the other fields; what the caller gives is merged into
 * the template, which keeps the join key. A relationship whose arguments use no column is one call for all rows.
 * Against a real graphql-java remote on Helidon.
 */
class RemoteRelationshipArgumentsTest {

    private static final String SDL = """
            type Query { messages(where: MessageWhere, includes: Includes, limit: Int): [Message!]! }
            input MessageWhere { author: Int text: String }
            input Includes { words: [String!] }
            type Message { id: Int! author: Int! text: String! }
            """;
    private static final List<Map<String, Object>> MESSAGES = List.of(
            Map.of("id", 1, "author", 1, "text", "hello world"), Map.of("id", 2, "author", 1, "text", "goodbye world"),
            Map.of("id", 3, "author", 1, "text", "hello again"), Map.of("id", 4, "author", 2, "text", "hello there"));
    private static final ObjectMapper JSON = new ObjectMapper();

    static TestDatabase db;
    static WebServer remote;
    static TestSidecar sidecar;
    static final List<String> bodies = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        db = TestDatabase.create("remote_arguments").execute("CREATE TABLE writer (id int PRIMARY KEY); INSERT INTO writer VALUES (1), (2)");
        GraphQL graphql = GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(SDL),
                RuntimeWiring.newRuntimeWiring().type("Query", t -> t.dataFetcher("messages", env -> messages(
                        env.getArgument("where"), env.getArgument("includes"), env.getArgument("limit")))).build())).build();
        remote = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r.post("/graphql", (req, res) -> {
            String body = req.content().as(String.class);
            bodies.add(body);
            @SuppressWarnings("unchecked")
            Map<String, Object> request = JSON.readValue(body, Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> variables = request.get("variables") == null ? Map.of() : (Map<String, Object>) request.get("variables");
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(JSON.writeValueAsBytes(graphql.execute(ExecutionInput.newExecutionInput()
                    .query((String) request.get("query")).variables(variables).build()).toSpecification()));
        })).build().start();
        sidecar = TestSidecar.start(db.url(), "/it/metadata-remote-arguments.yaml",
                Map.of("MESSAGES_URL", "http://127.0.0.1:" + remote.port() + "/graphql"));
    }

    @AfterAll
    static void stop() {
        try (TestDatabase closingDatabase = db; TestSidecar closingSidecar = sidecar) {
            remote.stop();
        }
    }

    private static List<Map<String, Object>> messages(Map<String, Object> where, Map<String, Object> includes, Integer limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> message : MESSAGES) {
            String text = (String) message.get("text");
            boolean matches = (where == null || where.get("author") == null || where.get("author").equals(message.get("author")))
                    && (where == null || where.get("text") == null || text.contains((String) where.get("text")))
                    && (includes == null || includes.get("words") == null
                        || ((List<?>) includes.get("words")).stream().anyMatch(word -> text.contains((String) word)));
            if (matches && (limit == null || out.size() < limit)) {
                out.add(message);
            }
        }
        return out;
    }

    @Test
    void theFieldOffersWhatTheTemplateLeavesOpen() {
        GraphqlResponse response = sidecar.client().query("""
                { field: __type(name: "writer") { fields { name args { name type { name } } } }
                  where: __type(name: "MessageWhere_remote_rel_writermessages") { inputFields { name type { name } } } }""");
        assertTrue(response.errors().isMissingNode(), response.toString());
        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"field": {"fields": [{"name": "id", "args": []}, {"name": "messages", "args": [
                    {"name": "includes", "type": {"name": "Includes"}}, {"name": "limit", "type": {"name": "Int"}},
                    {"name": "where", "type": {"name": "MessageWhere_remote_rel_writermessages"}}]},
                  {"name": "pinned", "args": [{"name": "includes", "type": {"name": "Includes"}}, {"name": "limit", "type": {"name": "Int"}},
                    {"name": "where", "type": {"name": "MessageWhere_remote_rel_writerpinned"}}]}]},
                 "where": {"inputFields": [{"name": "text", "type": {"name": "String"}}]}}"""), response.data(), "the schema");
    }

    @Test
    void theCallersArgumentsAreMergedIntoTheTemplateWhichKeepsTheKey() {
        GraphqlResponse response = sidecar.client().query("""
                query ($word: String!) {
                  writer(order_by: {id: asc}) {
                    id
                    hello: messages(where: {text: "hello"}) { id }
                    words: messages(includes: {words: [$word]}, limit: 1) { id }
                    all: messages { id }
                  }
                }""", Map.of("word", "world"));
        assertTrue(response.errors().isMissingNode(), response.toString());
        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"writer": [{"id": 1, "hello": [{"id": 1}, {"id": 3}], "words": [{"id": 1}], "all": [{"id": 1}, {"id": 2}, {"id": 3}]},
                            {"id": 2, "hello": [{"id": 4}], "words": [], "all": [{"id": 4}]}]}"""), response.data(), "each writer's own messages");
    }

    @Test
    void aRelationshipOfConstantArgumentsIsFetchedOnceForAllRows() {
        bodies.clear();
        GraphqlResponse response = sidecar.client().query("{ writer(order_by: {id: asc}) { id pinned { id } } }");
        assertTrue(response.errors().isMissingNode(), response.toString());
        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"writer": [{"id": 1, "pinned": [{"id": 4}]}, {"id": 2, "pinned": [{"id": 4}]}]}"""), response.data(), "the same for every row");
        assertEquals(1, bodies.size(), "one call for all rows: " + bodies);
    }

    @Test
    void theTemplatesKeyCannotBeOverriddenByTheCaller() {
        GraphqlResponse response = sidecar.client().query("{ writer(where: {id: {_eq: 1}}) { messages(where: {author: 2}) { id } } }");
        assertEquals("validation-failed", response.errors().path(0).path("extensions").path("code").asText(),
                "author is the join's, not the caller's: " + response);
    }
}
