package io.joinery.it.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
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
import java.util.function.Function;

/**
 * Two real remote GraphQL servers whose types join each other, for remote schema → remote schema
 * relationships: graphql-java on embedded Helidon, counting HTTP requests and resolver invocations
 * and keeping the request bodies, so tests can say "one request per join per level".
 *
 * <p>{@link #profiles()}, remote A:
 * <pre>
 * type Query { profile(authorId: Int!): Profile  profiles(authorIds: [Int!]!): [Profile!]!  team(id: Int!): Team }
 * type Profile { authorId: Int!  accountId: Int  handle: String  bio: String  tags: [String!]! }
 * type Team { id: Int!  members: [Profile!]! }
 * </pre>
 * A profile exists for every id 1..999: {@code accountId} is N % 7 + 1 (so 50 profiles share 7
 * accounts), null for every tenth; {@code handle} "@N", {@code bio} "bio of N". Team N has the
 * members N*10+1 .. N*10+3.
 *
 * <p>{@link #accounts()}, remote B, an Apollo Federation v2 subgraph (written by hand, as in
 * {@code BatchRemoteServer}):
 * <pre>
 * type Query { account(id: Int!): Account  accounts(ids: [Int!]!): [Account!]!  accountsOf(ownerIds: [Int!]!): [Account!]! }
 * type Account @key(fields: "id") { id: Int!  name: String!  ownerId: Int!  broken: String }
 * </pre>
 * Account N exists for 1..999 but 7 (missing on purpose): name "account N", {@code ownerId} N;
 * {@code broken} always fails with an error. {@code accountsOf} answers, per owner, the accounts N and
 * N + 1000 (a second, "shared" one, ids above 999 included). Lists come back SHUFFLED.
 */
public final class JoinedRemoteServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String PROFILES_SDL = """
            type Query {
              profile(authorId: Int!): Profile
              profiles(authorIds: [Int!]!): [Profile!]!
              team(id: Int!): Team
            }
            type Profile { authorId: Int! accountId: Int handle: String bio: String tags: [String!]! }
            type Team { id: Int! members: [Profile!]! }
            """;

    static final String ACCOUNTS_SDL = """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
            type Query {
              account(id: Int!): Account
              accounts(ids: [Int!]!): [Account!]!
              accountsOf(ownerIds: [Int!]!): [Account!]!
            }
            type Account @key(fields: "id") { id: Int! name: String! ownerId: Int! broken: String }
            """;

    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, AtomicInteger> resolverCalls = new ConcurrentHashMap<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final Random shuffle = new Random(20261125);
    private final GraphQL graphql;
    private final WebServer server;

    private JoinedRemoteServer(Function<JoinedRemoteServer, GraphQLSchema> schema) {
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

    /** A remote of {@code sdl} whose fields all answer null: for what the sidecar makes of a remote's schema alone. */
    public static JoinedRemoteServer ofSdl(String sdl) {
        return new JoinedRemoteServer(server -> new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl),
                RuntimeWiring.newRuntimeWiring().build()));
    }

    /** Remote A: profiles, each pointing at an account of remote B by {@code accountId}. */
    public static JoinedRemoteServer profiles() {
        return new JoinedRemoteServer(server -> new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(PROFILES_SDL),
                RuntimeWiring.newRuntimeWiring()
                        .type("Query", t -> t
                                .dataFetcher("profile", server.counted("Query.profile", env -> profile(env.<Integer>getArgument("authorId"))))
                                .dataFetcher("profiles", server.counted("Query.profiles", env -> {
                                    List<Object> out = new ArrayList<>();
                                    for (Object id : env.<List<Object>>getArgument("authorIds")) {
                                        out.add(profile(((Number) id).intValue()));
                                    }
                                    return out;
                                }))
                                .dataFetcher("team", server.counted("Query.team", env -> {
                                    int id = env.<Integer>getArgument("id");
                                    return Map.of("id", id, "members", List.of(profile(id * 10 + 1), profile(id * 10 + 2), profile(id * 10 + 3)));
                                })))
                        .build()));
    }

    /** Remote B: accounts, a federation subgraph with per-key, list-argument and {@code _entities} entry points. */
    public static JoinedRemoteServer accounts() {
        String executable = ACCOUNTS_SDL.replaceAll("extend schema @link\\([^)]*\\)", "")
                .replaceAll("@key\\(fields: \"[^\"]*\"\\)", "")
                .replace("type Query {", "type Query { _service: _Service! _entities(representations: [_Any!]!): [_Entity]!")
                + "scalar _Any\ntype _Service { sdl: String }\nunion _Entity = Account\n";
        return new JoinedRemoteServer(server -> new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(executable),
                RuntimeWiring.newRuntimeWiring()
                        .scalar(GraphQLScalarType.newScalar().name("_Any").coercing(new PassThrough()).build())
                        .type("Query", t -> t
                                .dataFetcher("account", server.counted("Query.account", env -> account(env.<Integer>getArgument("id"))))
                                .dataFetcher("accounts", server.counted("Query.accounts", env -> {
                                    List<Object> out = new ArrayList<>();
                                    for (Object id : env.<List<Object>>getArgument("ids")) {
                                        Map<String, Object> account = account(((Number) id).intValue());
                                        if (account != null) {
                                            out.add(account);
                                        }
                                    }
                                    return server.shuffled(out);
                                }))
                                .dataFetcher("accountsOf", server.counted("Query.accountsOf", env -> {
                                    List<Object> out = new ArrayList<>();
                                    for (Object id : env.<List<Object>>getArgument("ownerIds")) {
                                        int owner = ((Number) id).intValue();
                                        out.add(ownedAccount(owner, owner));
                                        out.add(ownedAccount(owner + 1000, owner));
                                    }
                                    return server.shuffled(out);
                                }))
                                .dataFetcher("_service", env -> Map.of("sdl", ACCOUNTS_SDL))
                                .dataFetcher("_entities", server.counted("Query._entities", env -> {
                                    List<Object> out = new ArrayList<>();
                                    for (Map<String, Object> representation : env.<List<Map<String, Object>>>getArgument("representations")) {
                                        out.add("Account".equals(representation.get("__typename"))
                                                ? account(((Number) representation.get("id")).intValue()) : null);
                                    }
                                    return out;
                                })))
                        .type("_Entity", t -> t.typeResolver(env -> env.getSchema().getObjectType("Account")))
                        .type("Account", t -> t.dataFetcher("broken", env -> DataFetcherResult.newResult()
                                .error(GraphqlErrorBuilder.newError(env).message("broken on purpose").build()).build()))
                        .build()));
    }

    static Map<String, Object> profile(int authorId) {
        if (authorId < 1 || authorId > 999) {
            return null;
        }
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("authorId", authorId);
        profile.put("accountId", authorId % 10 == 0 ? null : authorId % 7 + 1);
        profile.put("handle", "@" + authorId);
        profile.put("bio", "bio of " + authorId);
        profile.put("tags", List.of("t" + authorId % 3));
        return profile;
    }

    static Map<String, Object> account(int id) {
        return id < 1 || id > 999 || id == 7 ? null : ownedAccount(id, id);
    }

    private static Map<String, Object> ownedAccount(int id, int owner) {
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("__typename", "Account");
        account.put("id", id);
        account.put("name", "account " + id);
        account.put("ownerId", owner);
        return account;
    }

    private DataFetcher<Object> counted(String name, DataFetcher<Object> fetcher) {
        return env -> {
            resolverCalls.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            return fetcher.get(env);
        };
    }

    private <T> List<T> shuffled(List<T> list) {
        synchronized (shuffle) {
            Collections.shuffle(list, shuffle);
        }
        return list;
    }

    public String url() {
        return "http://127.0.0.1:" + server.port() + "/graphql";
    }

    /** HTTP requests received since the last {@link #reset()}. */
    public int requests() {
        return requests.get();
    }

    /** Invocations of one resolver ({@code Query.account}) since the last reset. */
    public int resolverCalls(String name) {
        AtomicInteger count = resolverCalls.get(name);
        return count == null ? 0 : count.get();
    }

    public List<String> bodies() {
        return List.copyOf(bodies);
    }

    public void reset() {
        requests.set(0);
        resolverCalls.clear();
        bodies.clear();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** {@code _Any}: a representation object, passed through as it comes (Joinery sends them as a variable). */
    private static final class PassThrough implements graphql.schema.Coercing<Object, Object> {
        @Override
        public Object serialize(Object value, graphql.GraphQLContext context, java.util.Locale locale) {
            return value;
        }

        @Override
        public Object parseValue(Object input, graphql.GraphQLContext context, java.util.Locale locale) {
            return input;
        }
    }
}
