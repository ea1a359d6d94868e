package io.joinery.proxy.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLContext;
import graphql.schema.Coercing;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The services the {@code demo} command joins to its tables, served in-process on one free port of
 * 127.0.0.1 (Note [The demo] in {@link Demo}):
 *
 * <ul>
 * <li>{@code POST /graphql}: a remote GraphQL API that is an Apollo Federation v2 subgraph, written as
 * any subgraph is (its SDL under {@code _service { sdl }}, its entities resolved by
 * {@code _entities(representations:)}), on graphql-java:
 * <pre>
 * type Query { profile(authorId: Int!): Profile  reviews(articleIds: [Int!]!): [Review!]! }
 * type Profile @key(fields: "authorId") { authorId: Int!  handle: String!  city: String!  followers: Int! }
 * type Review { articleId: Int!  reviewer: String!  stars: Int!  text: String! }
 * </pre>
 * A profile exists for each demo author (1..5). Article N has 1 + N % 3 reviews: review k (from 0)
 * by {@code REVIEWERS[(N + k) % 6]}, {@code 5 - (N + 2k) % 3} stars.</li>
 * <li>{@code POST /actions/recommended-articles}: the REST handler of the action
 * {@code recommendedArticles(forAuthorId: Int!)}, called as Hasura calls an action's handler
 * ({@code {"action": {"name": …}, "input": {…}, "session_variables": {…}}}); it answers a list of
 * {@code {"article_id": …, "score": …}}: the articles of other authors that reader may like.</li>
 * </ul>
 */
public final class DemoServices implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(DemoServices.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What {@code _service { sdl }} answers: the subgraph as its authors wrote it, with its federation directives. */
    static final String SUBGRAPH_SDL = """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

            type Query {
              "One author's profile."
              profile(authorId: Int!): Profile
              "The reviews of several articles at once."
              reviews(articleIds: [Int!]!): [Review!]!
            }

            "An author's public profile: an entity of this subgraph, keyed by the author's id."
            type Profile @key(fields: "authorId") {
              authorId: Int!
              handle: String!
              city: String!
              followers: Int!
            }

            "A reader's review of an article."
            type Review {
              articleId: Int!
              reviewer: String!
              stars: Int!
              text: String!
            }
            """;

    /**
     * The SDL graphql-java executes: the same types without the federation directives, which it does
     * not define, and with federation's entry points ({@code _service}, {@code _entities}).
     */
    private static final String EXECUTABLE_SDL = SUBGRAPH_SDL
            .replaceFirst("extend schema @link\\([^)]*\\)\\n", "")
            .replace(" @key(fields: \"authorId\")", "")
            .replace("type Query {", "type Query {\n  _service: _Service!\n  _entities(representations: [_Any!]!): [_Entity]!")
            + """
            scalar _Any
            type _Service { sdl: String }
            union _Entity = Profile
            """;

    private static final List<Map<String, Object>> PROFILES = List.of(
            profile(1, "@ada", "London", 1815),
            profile(2, "@alan", "Manchester", 1912),
            profile(3, "@grace", "Arlington", 1906),
            profile(4, "@edsger", "Austin", 1930),
            profile(5, "@barbara", "Cambridge", 1939));
    private static final List<String> REVIEWERS = List.of("Charles", "Hedy", "Claude", "Katherine", "John", "Frances");
    private static final List<String> REVIEW_TEXTS = List.of("Clear and short.", "I read it twice.", "A classic.");
    /** The articles each demo author (1..5) is recommended, best first: none of their own. */
    private static final Map<Integer, List<Recommendation>> RECOMMENDATIONS = Map.of(
            1, List.of(new Recommendation(4, 0.93), new Recommendation(8, 0.81)),
            2, List.of(new Recommendation(1, 0.95), new Recommendation(11, 0.78)),
            3, List.of(new Recommendation(10, 0.9), new Recommendation(2, 0.74)),
            4, List.of(new Recommendation(8, 0.88), new Recommendation(5, 0.7)),
            5, List.of(new Recommendation(7, 0.91), new Recommendation(4, 0.69)));

    private final GraphQL subgraph;
    private final WebServer server;

    private DemoServices() {
        subgraph = GraphQL.newGraphQL(schema()).build();
        server = WebServer.builder().host("127.0.0.1").port(0)
                .shutdownHook(false) // they serve until the process ends: the sidecar may still call them while it drains
                .routing(r -> r
                        .post("/graphql", this::graphql)
                        .post("/actions/recommended-articles", DemoServices::recommendedArticles))
                .build()
                .start();
    }

    /** Starts the services on a free port of 127.0.0.1 and logs their URLs. */
    public static DemoServices start() {
        DemoServices services = new DemoServices();
        LOGGER.log(System.Logger.Level.INFO, "demo remote GraphQL API (an Apollo Federation subgraph) on " + services.subgraphUrl()
                + ", demo action handler on " + services.actionUrl());
        return services;
    }

    public String subgraphUrl() {
        return "http://127.0.0.1:" + server.port() + "/graphql";
    }

    public String actionUrl() {
        return "http://127.0.0.1:" + server.port() + "/actions/recommended-articles";
    }

    @Override
    public void close() {
        server.stop();
    }

    private static GraphQLSchema schema() {
        return new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(EXECUTABLE_SDL), RuntimeWiring.newRuntimeWiring()
                .scalar(GraphQLScalarType.newScalar().name("_Any").coercing(new Representation()).build())
                .type("Query", t -> t
                        .dataFetcher("_service", env -> Map.of("sdl", SUBGRAPH_SDL))
                        .dataFetcher("_entities", env -> {
                            List<Object> entities = new ArrayList<>();
                            for (Map<String, Object> representation : env.<List<Map<String, Object>>>getArgument("representations")) {
                                entities.add("Profile".equals(representation.get("__typename"))
                                        && representation.get("authorId") instanceof Number id ? profile(id.intValue()) : null);
                            }
                            return entities;
                        })
                        .dataFetcher("profile", env -> profile(env.<Integer>getArgument("authorId")))
                        .dataFetcher("reviews", env -> {
                            List<Object> reviews = new ArrayList<>();
                            for (Object id : env.<List<Object>>getArgument("articleIds")) {
                                reviews.addAll(reviews(((Number) id).intValue()));
                            }
                            return reviews;
                        }))
                .type("_Entity", t -> t.typeResolver(env -> env.getSchema().getObjectType("Profile")))
                .build());
    }

    private void graphql(ServerRequest req, ServerResponse res) throws IOException {
        JsonNode request = JSON.readTree(req.content().as(String.class));
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = request.path("variables").isObject() ? JSON.convertValue(request.get("variables"), Map.class) : Map.of();
        ExecutionResult result = subgraph.execute(ExecutionInput.newExecutionInput()
                .query(request.path("query").asText())
                .operationName(request.path("operationName").isTextual() ? request.get("operationName").asText() : null)
                .variables(variables).build());
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(JSON.writeValueAsBytes(result.toSpecification()));
    }

    private static void recommendedArticles(ServerRequest req, ServerResponse res) throws IOException {
        JsonNode call = JSON.readTree(req.content().as(String.class));
        JsonNode reader = call.path("input").path("forAuthorId");
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        if (!reader.canConvertToInt()) {
            res.status(Status.BAD_REQUEST_400);
            res.send(JSON.writeValueAsBytes(Map.of("message", "forAuthorId must be an author's id")));
            return;
        }
        List<Map<String, Object>> answer = new ArrayList<>();
        for (Recommendation recommendation : RECOMMENDATIONS.getOrDefault(reader.asInt(), List.of())) {
            answer.add(Map.of("article_id", recommendation.articleId(), "score", recommendation.score()));
        }
        res.send(JSON.writeValueAsBytes(answer));
    }

    private static Map<String, Object> profile(int authorId, String handle, String city, int followers) {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("__typename", "Profile");
        profile.put("authorId", authorId);
        profile.put("handle", handle);
        profile.put("city", city);
        profile.put("followers", followers);
        return profile;
    }

    private static Map<String, Object> profile(int authorId) {
        return authorId >= 1 && authorId <= PROFILES.size() ? PROFILES.get(authorId - 1) : null;
    }

    private static List<Map<String, Object>> reviews(int articleId) {
        List<Map<String, Object>> reviews = new ArrayList<>();
        if (articleId < 1 || articleId > 12) {
            return reviews;
        }
        for (int k = 0; k <= articleId % 3; k++) {
            Map<String, Object> review = new LinkedHashMap<>();
            review.put("articleId", articleId);
            review.put("reviewer", REVIEWERS.get((articleId + k) % REVIEWERS.size()));
            review.put("stars", 5 - (articleId + 2 * k) % 3);
            review.put("text", REVIEW_TEXTS.get((articleId + k) % REVIEW_TEXTS.size()));
            reviews.add(review);
        }
        return reviews;
    }

    private record Recommendation(int articleId, double score) {
    }

    /** {@code _Any}: a representation, passed through as it comes (Joinery sends them as a variable). */
    private static final class Representation implements Coercing<Object, Object> {
        @Override
        public Object serialize(Object value, GraphQLContext context, Locale locale) {
            return value;
        }

        @Override
        public Object parseValue(Object input, GraphQLContext context, Locale locale) {
            return input;
        }
    }
}
