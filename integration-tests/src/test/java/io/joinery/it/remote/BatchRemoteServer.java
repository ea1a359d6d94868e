package io.joinery.it.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLScalarType;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A remote GraphQL server with batch entry points, for the list-argument joins: graphql-java on an
 * embedded Helidon server (a federation subgraph when given a transformed schema, see
 * {@link #subgraph}), counting HTTP requests and resolver invocations and keeping the request
 * bodies. Every list it returns is SHUFFLED, so joins must match by key, not by position.
 *
 * <pre>
 * type Query {
 *   profile(authorId: Int!): Profile                       # the per-key field
 *   profiles(authorIds: [Int!]!): [Profile!]!              # the batch field
 *   profilesWhere(where: ProfileWhere!): [Profile!]!       # a filter form: {authorId: {_in: [...]}}
 *   duplicatedProfiles(authorIds: [Int!]!): [Profile!]!    # two results for every even id
 *   failingProfiles(authorIds: [Int!]!): [Profile!]        # null and an error
 *   posts(authorIds: [ID!]!): [Post!]!                     # array joins; ID keys (strings)
 *   stocks(keys: [StockKey!]!): [Stock!]!                  # composite keys
 *   directory(region: String): Directory                   # a nested path: directory { profiles(...) }
 * }
 * </pre>
 * A profile exists for ids 1..999 except multiples of 97; {@code bio} is "bio of N", {@code followers}
 * N * 10; {@code broken} fails with an error. Author N has N % 4 posts, "N-1".."N-k". A stock exists
 * for every sku and store but store 3; its quantity is 10 * (the sku's number) + store.
 */
final class BatchRemoteServer implements AutoCloseable {

    static final String SDL = """
            type Query {
              profile(authorId: Int!): Profile
              profiles(authorIds: [Int!]!): [Profile!]!
              profilesWhere(where: ProfileWhere!): [Profile!]!
              duplicatedProfiles(authorIds: [Int!]!): [Profile!]!
              failingProfiles(authorIds: [Int!]!): [Profile!]
              posts(authorIds: [ID!]!): [Post!]!
              stocks(keys: [StockKey!]!): [Stock!]!
              directory(region: String): Directory
            }
            type Directory { region: String profiles(authorIds: [Int!]!): [Profile!]! }
            input ProfileWhere { authorId: IntFilter }
            input IntFilter { _in: [Int!] _eq: Int }
            input StockKey { sku: String! store: Int! }
            type Profile { authorId: Int! bio: String followers: Int broken: String }
            type Post { id: ID! authorId: ID! title: String! }
            type Stock { sku: String! store: Int! quantity: Int! }
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, AtomicInteger> resolverCalls = new ConcurrentHashMap<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final Random shuffle = new Random(20261125);
    private final GraphQL graphql;
    private final WebServer server;

    BatchRemoteServer() {
        this(server -> new SchemaGenerator().makeExecutableSchema(
                new SchemaParser().parse(SDL), server.wiring()));
    }

    /** @param schema the schema to serve, made with the server at hand so its resolvers can be {@link #counted} */
    BatchRemoteServer(java.util.function.Function<BatchRemoteServer, GraphQLSchema> schema) {
        graphql = GraphQL.newGraphQL(schema.apply(this)).build();
        server = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.post("/graphql", (req, res) -> {
                    requests.incrementAndGet();
                    String body = req.content().as(String.class);
                    bodies.add(body);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> request = JSON.readValue(body, Map.class);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> variables = request.get("variables") == null ? Map.of() : (Map<String, Object>) request.get("variables");
                    ExecutionResult result = graphql.execute(ExecutionInput.newExecutionInput()
                            .query((String) request.get("query")).variables(variables).build());
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.send(JSON.writeValueAsBytes(result.toSpecification()));
                }))
                .build().start();
    }

    private RuntimeWiring wiring() {
        return RuntimeWiring.newRuntimeWiring()
                .type("Query", t -> t
                        .dataFetcher("profile", counted("Query.profile", env -> profile(env.<Integer>getArgument("authorId"))))
                        .dataFetcher("profiles", counted("Query.profiles", env -> profiles(env.getArgument("authorIds"), false)))
                        .dataFetcher("profilesWhere", counted("Query.profilesWhere", env -> {
                            Map<String, Object> where = env.getArgument("where");
                            @SuppressWarnings("unchecked")
                            Map<String, Object> filter = (Map<String, Object>) where.get("authorId");
                            return profiles(filter == null ? List.of() : (List<Object>) filter.get("_in"), false);
                        }))
                        .dataFetcher("duplicatedProfiles", counted("Query.duplicatedProfiles", env -> profiles(env.getArgument("authorIds"), true)))
                        .dataFetcher("failingProfiles", counted("Query.failingProfiles", env -> DataFetcherResult.newResult()
                                .error(GraphqlErrorBuilder.newError(env).message("profiles are down").build()).build()))
                        .dataFetcher("posts", counted("Query.posts", env -> posts(env.getArgument("authorIds"))))
                        .dataFetcher("stocks", counted("Query.stocks", env -> stocks(env.getArgument("keys"))))
                        .dataFetcher("directory", env -> Map.of("region", String.valueOf(env.<String>getArgument("region")))))
                .type("Directory", t -> t.dataFetcher("profiles", counted("Directory.profiles",
                        env -> profiles(env.getArgument("authorIds"), false))))
                .type("Profile", t -> t.dataFetcher("broken", env -> DataFetcherResult.newResult()
                        .error(GraphqlErrorBuilder.newError(env).message("broken on purpose").build()).build()))
                .build();
    }

    /**
     * An Apollo Federation v2 subgraph: {@code _service { sdl }} and {@code _entities} beside its
     * root field {@code account(authorId: Int!)}. The subgraph protocol is small, so it is written
     * here by hand (federation-jvm's releases served here do not run on graphql-java 26).
     * <pre>
     * type Account @key(fields: "authorId") { authorId: Int! handle: String! followers: Int! broken: String }
     * type Shelf @key(fields: "sku store") { sku: String! store: Int! capacity: Int! }
     * </pre>
     * An account exists for ids 1..999 except multiples of 89 (handle "@N", followers N * 10); a
     * shelf for every sku and store but store 3 (capacity 100 * the sku's number + store).
     * {@code _entities} counts as resolver "Query._entities"; {@link #representations()} adds up
     * the representations it was given.
     */
    static BatchRemoteServer subgraph() {
        return subgraph("""
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
                type Query { account(authorId: Int!): Account }
                type Account @key(fields: "authorId") { authorId: Int! handle: String! followers: Int! broken: String }
                type Shelf @key(fields: "sku store") { sku: String! store: Int! capacity: Int! }
                """, "Account | Shelf");
    }

    /**
     * A Federation v1 subgraph, for failures: {@code extend type Badge @key(fields: "authorId")
     * { authorId: Int! @external name: String }}.
     */
    static BatchRemoteServer flakySubgraph() {
        return subgraph("""
                type Query { badge(authorId: Int!): Badge }
                extend type Badge @key(fields: "authorId") { authorId: Int! @external name: String }
                """, "Badge");
    }

    /** A small remote with the batch field {@code flakyProfiles(authorIds: [Int!]!): [FlakyProfile!]!}, for failures. */
    static BatchRemoteServer flaky() {
        return new BatchRemoteServer(server -> new SchemaGenerator().makeExecutableSchema(
                new SchemaParser().parse("""
                        type Query { flakyProfiles(authorIds: [Int!]!): [FlakyProfile!]! }
                        type FlakyProfile { authorId: Int! bio: String }
                        """),
                RuntimeWiring.newRuntimeWiring().type("Query", t -> t.dataFetcher("flakyProfiles",
                        server.counted("Query.flakyProfiles", env -> server.profiles(env.getArgument("authorIds"), false)))).build()));
    }

    /**
     * Serves {@code sdl} (what {@code _service { sdl }} answers, with its federation directives) as
     * a subgraph: the same types without the directives, plus {@code _Any}, {@code _Service},
     * {@code _Entity = entities} and the two root fields.
     */
    private static BatchRemoteServer subgraph(String sdl, String entities) {
        String executable = sdl.replaceAll("extend schema @link\\([^)]*\\)", "")
                .replaceAll("@key\\(fields: \"[^\"]*\"\\)", "")
                .replace("@external", "")
                .replace("extend type", "type")
                .replace("type Query {", "type Query { _service: _Service! _entities(representations: [_Any!]!): [_Entity]!")
                + "scalar _Any\ntype _Service { sdl: String }\nunion _Entity = " + entities + "\n";
        return new BatchRemoteServer(server -> new SchemaGenerator().makeExecutableSchema(
                new SchemaParser().parse(executable), RuntimeWiring.newRuntimeWiring()
                        .scalar(GraphQLScalarType.newScalar().name("_Any").coercing(new AnyCoercing()).build())
                        .type("Query", t -> t
                                .dataFetcher("account", server.counted("Query.account", env -> account(env.<Integer>getArgument("authorId"))))
                                .dataFetcher("_service", env -> Map.of("sdl", sdl))
                                .dataFetcher("_entities", server.counted("Query._entities", env -> {
                                    List<Map<String, Object>> representations = env.getArgument("representations");
                                    server.representations.addAndGet(representations.size());
                                    List<Object> out = new ArrayList<>();
                                    for (Map<String, Object> representation : representations) {
                                        out.add(entity(representation));
                                    }
                                    return out;
                                })))
                        .type("_Entity", t -> t.typeResolver(env -> env.getSchema().getObjectType((String) ((Map<?, ?>) env.getObject()).get("__typename"))))
                        .type("Account", t -> t.dataFetcher("broken", env -> DataFetcherResult.newResult()
                                .error(GraphqlErrorBuilder.newError(env).message("broken on purpose").build()).build()))
                        .build()));
    }

    private static Map<String, Object> entity(Map<String, Object> representation) {
        return switch ((String) representation.get("__typename")) {
            case "Account" -> account(((Number) representation.get("authorId")).intValue());
            case "Shelf" -> shelf((String) representation.get("sku"), ((Number) representation.get("store")).intValue());
            case "Badge" -> Map.of("__typename", "Badge", "authorId", representation.get("authorId"), "name", "badge " + representation.get("authorId"));
            default -> null;
        };
    }

    /** {@code _Any}: a representation object, from variables as it is, from literals as a map. */
    private static final class AnyCoercing implements graphql.schema.Coercing<Object, Object> {
        @Override
        public Object serialize(Object value, graphql.GraphQLContext context, java.util.Locale locale) {
            return value;
        }

        @Override
        public Object parseValue(Object input, graphql.GraphQLContext context, java.util.Locale locale) {
            return input;
        }

        @Override
        public Object parseLiteral(graphql.language.Value<?> input, graphql.execution.CoercedVariables variables,
                                   graphql.GraphQLContext context, java.util.Locale locale) {
            return literal(input);
        }

        private static Object literal(graphql.language.Value<?> input) {
            return switch (input) {
                case graphql.language.ObjectValue object -> {
                    Map<String, Object> map = new LinkedHashMap<>();
                    object.getObjectFields().forEach(f -> map.put(f.getName(), literal(f.getValue())));
                    yield map;
                }
                case graphql.language.StringValue text -> text.getValue();
                case graphql.language.IntValue number -> number.getValue().intValue();
                case graphql.language.BooleanValue flag -> flag.isValue();
                default -> null;
            };
        }
    }

    private final AtomicInteger representations = new AtomicInteger();

    /** Entity representations received by {@code _entities} since the last reset. */
    int representations() {
        return representations.get();
    }

    private static Map<String, Object> account(int authorId) {
        if (authorId < 1 || authorId > 999 || authorId % 89 == 0) {
            return null;
        }
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("__typename", "Account");
        account.put("authorId", authorId);
        account.put("handle", "@" + authorId);
        account.put("followers", authorId * 10);
        return account;
    }

    private static Map<String, Object> shelf(String sku, int store) {
        return store == 3 ? null : Map.of("__typename", "Shelf", "sku", sku, "store", store,
                "capacity", 100 * Integer.parseInt(sku.substring(1)) + store);
    }

    DataFetcher<Object> counted(String name, DataFetcher<Object> fetcher) {
        return env -> {
            resolverCalls.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            return fetcher.get(env);
        };
    }

    private List<Map<String, Object>> profiles(List<Object> ids, boolean duplicated) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object id : ids) {
            Map<String, Object> profile = profile(((Number) id).intValue());
            if (profile != null) {
                out.add(profile);
                if (duplicated && ((Number) id).intValue() % 2 == 0) {
                    out.add(profile);
                }
            }
        }
        return shuffled(out);
    }

    static Map<String, Object> profile(int authorId) {
        if (authorId < 1 || authorId > 999 || authorId % 97 == 0) {
            return null;
        }
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("authorId", authorId);
        profile.put("bio", "bio of " + authorId);
        profile.put("followers", authorId * 10);
        return profile;
    }

    private List<Map<String, Object>> posts(List<Object> authorIds) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object id : authorIds) {
            int author = Integer.parseInt(id.toString());
            for (int k = 1; k <= author % 4; k++) {
                out.add(Map.of("id", author + "-" + k, "authorId", String.valueOf(author), "title", "post " + k + " of " + author));
            }
        }
        return shuffled(out);
    }

    private List<Map<String, Object>> stocks(List<Map<String, Object>> keys) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> key : keys) {
            String sku = (String) key.get("sku");
            int store = ((Number) key.get("store")).intValue();
            if (store != 3) {
                out.add(Map.of("sku", sku, "store", store, "quantity", 10 * Integer.parseInt(sku.substring(1)) + store));
            }
        }
        return shuffled(out);
    }

    private <T> List<T> shuffled(List<T> list) {
        synchronized (shuffle) {
            Collections.shuffle(list, shuffle);
        }
        return list;
    }

    String url() {
        return "http://127.0.0.1:" + server.port() + "/graphql";
    }

    int requests() {
        return requests.get();
    }

    int resolverCalls(String name) {
        AtomicInteger count = resolverCalls.get(name);
        return count == null ? 0 : count.get();
    }

    List<String> bodies() {
        return List.copyOf(bodies);
    }

    void reset() {
        requests.set(0);
        resolverCalls.clear();
        bodies.clear();
        representations.set(0);
    }

    @Override
    public void close() {
        server.stop();
    }
}
