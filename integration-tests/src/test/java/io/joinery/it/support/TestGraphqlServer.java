package io.joinery.it.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A real remote GraphQL server for tests: graphql-java on an embedded Helidon server, serving a
 * small "profiles" API, counting the HTTP requests and the resolver invocations it receives and
 * keeping the request bodies and headers so tests can assert on what Joinery sent.
 *
 * <pre>
 * type Query { profile(authorId: Int!): Profile  profiles(authorIds: [Int!]!): [Profile!]!
 *              hello(name: String): String  failing: String  echoHeader(name: String!): String
 *              echoFilter(filter: ProfileFilter, filters: [ProfileFilter!]): String }
 * input ProfileFilter { text: String  owner: Int  range: Range }    input Range { low: Int  high: Int }
 * type Profile { authorId: Int!  bio: String  followers: Int  tags: [String!]!  account: Account  broken: String }
 * type Account { handle: String  level: Level }    enum Level { BASIC PRO }
 * </pre>
 * A profile exists for every author id from 1 to 999; {@code bio} is "bio of N", {@code followers} N * 10.
 * {@code broken} always fails with an error; {@code failing} at the root too. {@code echoFilter} answers the
 * arguments it received as JSON, keys sorted.
 */
public final class TestGraphqlServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SDL = """
            type Query {
              profile(authorId: Int!): Profile
              profiles(authorIds: [Int!]!): [Profile!]!
              hello(name: String): String
              failing: String
              echoHeader(name: String!): String
              echoFilter(filter: ProfileFilter, filters: [ProfileFilter!]): String
            }
            input ProfileFilter { text: String owner: Int range: Range }
            input Range { low: Int high: Int }
            type Profile { authorId: Int! bio: String followers: Int tags: [String!]! account: Account broken: String }
            type Account { handle: String level: Level }
            enum Level { BASIC PRO }
            """;

    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, AtomicInteger> resolverCalls = new ConcurrentHashMap<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
    private volatile Duration delay = Duration.ZERO;
    private volatile Runnable beforeAnswer = () -> { };
    private volatile boolean olderIntrospection;
    private final GraphQL graphql;
    private final WebServer server;

    public TestGraphqlServer() {
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(SDL), wiring());
        graphql = GraphQL.newGraphQL(schema).build();
        server = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.post("/graphql", (req, res) -> {
                    requests.incrementAndGet();
                    String body = req.content().as(String.class);
                    Map<String, String> seen = new LinkedHashMap<>();
                    req.headers().forEach(h -> seen.put(h.name().toLowerCase(java.util.Locale.ROOT), h.get()));
                    synchronized (bodies) { // a request's body and headers at the same index, whatever arrives concurrently
                        bodies.add(body);
                        headers.add(seen);
                    }
                    sleep();
                    beforeAnswer.run();
                    if (olderIntrospection && body.contains("isOneOf")) {
                        // as graphql-js before 16.9 (Apollo Server 3) answers the newer introspection fields
                        res.status(Status.BAD_REQUEST_400).header(HeaderNames.CONTENT_TYPE, "application/json")
                                .send("{\"errors\":[{\"message\":\"Cannot query field \\\"isOneOf\\\" on type \\\"__Type\\\".\"}]}");
                        return;
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> request = JSON.readValue(body, Map.class);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> variables = request.get("variables") == null ? Map.of() : (Map<String, Object>) request.get("variables");
                    ExecutionResult result = graphql.execute(ExecutionInput.newExecutionInput()
                            .query((String) request.get("query")).variables(variables)
                            .graphQLContext(Map.of("headers", seen)).build());
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.send(JSON.writeValueAsBytes(result.toSpecification()));
                }))
                .build().start();
    }

    /** From now on, refuses queries asking for {@code __Type.isOneOf} with HTTP 400, as servers on an older graphql-js do. */
    public TestGraphqlServer olderIntrospection() {
        olderIntrospection = true;
        return this;
    }

    private RuntimeWiring wiring() {
        return RuntimeWiring.newRuntimeWiring()
                .type("Query", t -> t
                        .dataFetcher("profile", counted("Query.profile", env -> profile(env.<Integer>getArgument("authorId"))))
                        .dataFetcher("profiles", counted("Query.profiles", env -> {
                            List<Map<String, Object>> out = new ArrayList<>();
                            for (Object id : env.<List<Object>>getArgument("authorIds")) {
                                Map<String, Object> profile = profile(((Number) id).intValue());
                                if (profile != null) {
                                    out.add(profile);
                                }
                            }
                            return out;
                        }))
                        .dataFetcher("hello", counted("Query.hello", env -> "Hello, " + (env.getArgument("name") == null ? "world" : env.getArgument("name"))))
                        .dataFetcher("failing", counted("Query.failing", env -> DataFetcherResult.newResult()
                                .error(GraphqlErrorBuilder.newError(env).message("failing on purpose").build()).build()))
                        .dataFetcher("echoHeader", counted("Query.echoHeader", env -> {
                            Map<String, String> seen = env.getGraphQlContext().get("headers");
                            return seen.get(env.<String>getArgument("name").toLowerCase(java.util.Locale.ROOT));
                        }))
                        .dataFetcher("echoFilter", counted("Query.echoFilter", env -> JSON.writeValueAsString(sorted(env.getArguments())))))
                .type("Profile", t -> t.dataFetcher("broken", env -> DataFetcherResult.newResult()
                        .error(GraphqlErrorBuilder.newError(env).message("broken on purpose").build()).build()))
                .build();
    }

    private DataFetcher<Object> counted(String name, DataFetcher<Object> fetcher) {
        return env -> {
            resolverCalls.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            return fetcher.get(env);
        };
    }

    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new java.util.TreeMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(TestGraphqlServer::sorted).toList();
        }
        return value;
    }

    private static Map<String, Object> profile(int authorId) {
        if (authorId < 1 || authorId > 999) {
            return null;
        }
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("authorId", authorId);
        profile.put("bio", "bio of " + authorId);
        profile.put("followers", authorId * 10);
        profile.put("tags", List.of("t" + authorId % 3));
        profile.put("account", Map.of("handle", "@author" + authorId, "level", authorId % 2 == 0 ? "PRO" : "BASIC"));
        return profile;
    }

    private void sleep() {
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.port() + "/graphql";
    }

    /** HTTP requests received since the last {@link #reset()}. */
    public int requests() {
        return requests.get();
    }

    /** Invocations of one resolver ({@code Query.profile}) since the last reset. */
    public int resolverCalls(String name) {
        AtomicInteger count = resolverCalls.get(name);
        return count == null ? 0 : count.get();
    }

    /** The bodies received since the last reset, in order; the i-th is the request of {@link #headers()}' i-th. */
    public List<String> bodies() {
        return List.copyOf(bodies);
    }

    /** The headers (lower-case names) of the requests since the last reset; see {@link #bodies()}. */
    public List<Map<String, String>> headers() {
        return List.copyOf(headers);
    }

    public void delay(Duration delay) {
        this.delay = delay;
    }

    /** Runs {@code hook} on each request before it is answered (until the next {@link #reset()}): what the remote sees then. */
    public void beforeAnswer(Runnable hook) {
        this.beforeAnswer = hook;
    }

    public void reset() {
        beforeAnswer = () -> { };
        requests.set(0);
        resolverCalls.clear();
        synchronized (bodies) {
            bodies.clear();
            headers.clear();
        }
        delay = Duration.ZERO;
    }

    public void each(Consumer<String> body) {
        bodies.forEach(body);
    }

    @Override
    public void close() {
        server.stop();
    }
}
