package io.joinery.it.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The remote of the remote-join benchmark: a small "profiles" GraphQL API (graphql-java on an embedded Helidon
 * server, as a real service would be built) that is also an Apollo Federation v2 subgraph, and times its own work on
 * every request. It has one entry point for each form of remote join:
 *
 * <pre>
 * type Query {
 *   profile(authorId: Int!): Profile              # per key: one aliased field per row's key
 *   profiles(authorIds: [Int!]!): [Profile!]!     # list argument: every key in one argument
 *   _service: _Service!                           # federation: the SDL below, with its @key
 *   _entities(representations: [_Any!]!): [_Entity]!
 * }
 * type Profile @key(fields: "authorId") { authorId: Int!  bio: String  followers: Int }
 * </pre>
 *
 * The subgraph protocol is small, so it is written here by hand, as in the integration tests' {@code
 * BatchRemoteServer}: {@code _service { sdl }} answers {@link #FEDERATION_SDL}, {@code _entities} answers one profile
 * per representation, in representation order. {@code profiles} answers in the order of its argument; Joinery matches
 * by the key field anyway.
 *
 * <p>A request that carries the header {@value #REQUEST_HEADER} (the benchmark's client sends it to Joinery, and Joinery
 * forwards it because the remote schema has {@code forward_client_headers: true}) is recorded under that id: how many
 * HTTP calls came with it and their bytes, how many times the root resolvers ran ({@code profile}, {@code profiles}
 * or {@code _entities}: the lookups a real service would do against its own store), how many keys they were given,
 * and the server's own time — from the moment the request's body has been read to the moment the answer's bytes are
 * ready to be written: parsing, validating and executing the GraphQL query and serialising the answer. The wait
 * between the handler's start and the end of the body is recorded apart (it is transport: a client that sent its body
 * late would show there). Helidon reading the request head and writing the answer to the socket are not counted, so
 * the remote's own time is slightly under-counted and the latency Joinery adds slightly over-counted. The record is
 * stored before the answer is written, so it is there when Joinery's answer reaches the client.
 *
 * <p>The listener sets TCP_NODELAY, as the sidecar's does. Without it, Nagle's algorithm holds the tail of answers over
 * a few KB until Joinery's side acknowledges the head (delayed ACK, up to 40 ms): measured here, 500 profiles then took
 * ~55 ms p50 through Joinery instead of ~6 ms. That is the remote's configuration, not Joinery's work.
 */
final class ProfilesServer implements AutoCloseable {

    static final String REQUEST_HEADER = "x-bench-request";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What {@code _service { sdl }} answers: the subgraph's schema with its federation directives. */
    static final String FEDERATION_SDL = """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
            type Query { profile(authorId: Int!): Profile profiles(authorIds: [Int!]!): [Profile!]! }
            type Profile @key(fields: "authorId") { authorId: Int! bio: String followers: Int }
            """;

    /** What the server executes: the same types without the directives, plus the subgraph's plumbing. */
    private static final String SDL = """
            type Query {
              profile(authorId: Int!): Profile
              profiles(authorIds: [Int!]!): [Profile!]!
              _service: _Service!
              _entities(representations: [_Any!]!): [_Entity]!
            }
            type Profile { authorId: Int! bio: String followers: Int }
            scalar _Any
            type _Service { sdl: String }
            union _Entity = Profile
            """;

    /**
     * What the remote did for one client request: HTTP calls, root resolver invocations, keys given to them, bytes of
     * the request bodies, nanoseconds spent.
     */
    record Work(int calls, int resolvers, int keys, long requestBytes, long nanos, long bodyWaitNanos) {
        Work plus(Work other) {
            return new Work(calls + other.calls, resolvers + other.resolvers, keys + other.keys, requestBytes + other.requestBytes,
                    nanos + other.nanos, bodyWaitNanos + other.bodyWaitNanos);
        }
    }

    /** Per request: root resolver invocations and the keys they were given. */
    private record Counters(AtomicInteger resolvers, AtomicInteger keys) {
        void count(int keyCount) {
            resolvers.incrementAndGet();
            keys.addAndGet(keyCount);
        }
    }

    private final Map<String, Work> work = new ConcurrentHashMap<>();
    private final AtomicInteger untagged = new AtomicInteger();
    private final GraphQL graphql;
    private final WebServer server;

    ProfilesServer() {
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .scalar(GraphQLScalarType.newScalar().name("_Any").coercing(new AnyCoercing()).build())
                .type("Query", t -> t
                        .dataFetcher("profile", env -> {
                            counters(env).count(1);
                            return profile(env.<Integer>getArgument("authorId"));
                        })
                        .dataFetcher("profiles", env -> {
                            List<Integer> ids = env.getArgument("authorIds");
                            counters(env).count(ids.size());
                            List<Map<String, Object>> out = new ArrayList<>(ids.size());
                            for (int id : ids) {
                                out.add(profile(id));
                            }
                            return out;
                        })
                        .dataFetcher("_service", env -> Map.of("sdl", FEDERATION_SDL))
                        .dataFetcher("_entities", env -> {
                            List<Map<String, Object>> representations = env.getArgument("representations");
                            counters(env).count(representations.size());
                            List<Object> out = new ArrayList<>(representations.size());
                            for (Map<String, Object> representation : representations) {
                                out.add("Profile".equals(representation.get("__typename"))
                                        ? profile(((Number) representation.get("authorId")).intValue()) : null);
                            }
                            return out;
                        }))
                .type("_Entity", t -> t.typeResolver(env -> env.getSchema().getObjectType("Profile")))
                .build();
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(SDL), wiring);
        graphql = GraphQL.newGraphQL(schema).build();
        // A well-configured service answers without Nagle's delay (as the sidecar's own listener does).
        server = WebServer.builder().host("127.0.0.1").port(0)
                .connectionOptions(options -> options.tcpNoDelay(true))
                .routing(r -> r.post("/graphql", (req, res) -> {
                    long head = System.nanoTime();
                    String id = req.headers().first(HeaderNames.create(REQUEST_HEADER)).orElse(null);
                    byte[] body = req.content().as(byte[].class);
                    long start = System.nanoTime();
                    @SuppressWarnings("unchecked")
                    Map<String, Object> request = JSON.readValue(body, Map.class);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> variables = request.get("variables") == null ? Map.of() : (Map<String, Object>) request.get("variables");
                    Counters counters = new Counters(new AtomicInteger(), new AtomicInteger());
                    ExecutionResult result = graphql.execute(ExecutionInput.newExecutionInput()
                            .query((String) request.get("query")).variables(variables)
                            .graphQLContext(Map.of(Counters.class, counters)).build());
                    byte[] answer = JSON.writeValueAsBytes(result.toSpecification());
                    if (id == null) {
                        untagged.incrementAndGet();
                    } else {
                        work.merge(id, new Work(1, counters.resolvers().get(), counters.keys().get(), body.length,
                                System.nanoTime() - start, start - head), Work::plus);
                    }
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.send(answer);
                }))
                .build().start();
    }

    private static Counters counters(graphql.schema.DataFetchingEnvironment env) {
        return env.getGraphQlContext().get(Counters.class);
    }

    static Map<String, Object> profile(int authorId) {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("authorId", authorId);
        profile.put("bio", "bio of " + authorId);
        profile.put("followers", authorId * 10);
        return profile;
    }

    String url() {
        return "http://127.0.0.1:" + server.port() + "/graphql";
    }

    /** What the remote did for the client request {@code id}, removed from the record; no calls gives zeros. */
    Work take(String id) {
        Work done = work.remove(id);
        return done == null ? new Work(0, 0, 0, 0, 0, 0) : done;
    }

    /** Requests without the benchmark's header (Joinery's introspection and {@code _service { sdl }} at start). */
    int untagged() {
        return untagged.get();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** {@code _Any}: a representation object, from variables as it is, from literals as a map. */
    private static final class AnyCoercing implements graphql.schema.Coercing<Object, Object> {
        @Override
        public Object serialize(Object value, graphql.GraphQLContext context, Locale locale) {
            return value;
        }

        @Override
        public Object parseValue(Object input, graphql.GraphQLContext context, Locale locale) {
            return input;
        }

        @Override
        public Object parseLiteral(graphql.language.Value<?> input, graphql.execution.CoercedVariables variables,
                                   graphql.GraphQLContext context, Locale locale) {
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
}
