package io.joinery.it.golden;

import graphql.GraphQL;
import graphql.introspection.IntrospectionQuery;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.joinery.admin.check.Problem;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.JoinedRemoteServer;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.StatementRecorder;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestGraphqlServer;
import io.joinery.it.support.TestSidecar;
import io.joinery.policies.Session;
import io.joinery.policies.SessionResolver;
import io.joinery.proxy.engine.GraphqlRequest;
import io.joinery.proxy.error.JoineryException;
import io.joinery.proxy.plan.PlanPrinter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The fixtures the golden cases run in, the existing tests' worlds reused: their schemas, metadata and
 * remote servers, each database behind a {@link StatementRecorder} so every statement is seen. A world
 * starts on its first case and is closed after the last ({@link #close()} closes in reverse order).
 */
final class GoldenWorld implements AutoCloseable {

    /** The worlds: what each is, in the words of the tests it comes from. */
    enum Kind {
        /** it/schema.sql + it/metadata.yaml (QueryCasesTest): roles user, anonymous, member. */
        QUERIES,
        /** it/schema-computed.sql + it/metadata-computed.yaml (ComputedFieldsTest). */
        COMPUTED,
        /** it/schema-functions.sql + it/metadata-functions.yaml (TrackedFunctionsTest). */
        FUNCTIONS,
        /** it/schema.sql + person + it/metadata-remote.yaml, TestGraphqlServer as "profiles" (RemoteJoinTest). */
        REMOTE,
        /** it/schema.sql + golden/metadata-joins.yaml: RemoteToRemoteTest's two JoinedRemoteServers, and the author table joining "accounts" in each form. */
        JOINS,
        /** it/schema.sql + a "reviews" database, it/metadata-cross-source.yaml (CrossSourceTest). */
        CROSS_SOURCE,
        /** it/schema-mutations.sql + it/metadata-mutations.yaml (MutationsTest): roles user, reader, writer; its cases write, in file order. */
        MUTATIONS;

        static Kind named(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    private static final String FAULTY_SDL = """
            type Query { faultyProfile(authorId: Int!): FaultyProfile }
            type FaultyProfile { bio: String }
            """;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, StatementRecorder> sources = new LinkedHashMap<>();
    private final Map<String, Supplier<List<String>>> remotes = new LinkedHashMap<>();
    private TestSidecar sidecar;

    private GoldenWorld() {
    }

    static GoldenWorld start(Kind kind) {
        GoldenWorld world = new GoldenWorld();
        try {
            switch (kind) {
                case QUERIES -> world.serve(world.database("default", "golden_queries", "/it/schema.sql"), "/it/metadata.yaml", Map.of());
                case COMPUTED -> world.serve(world.database("default", "golden_computed", "/it/schema-computed.sql"), "/it/metadata-computed.yaml", Map.of());
                case FUNCTIONS -> world.serve(world.database("default", "golden_functions", "/it/schema-functions.sql"), "/it/metadata-functions.yaml", Map.of());
                case REMOTE -> world.startRemote();
                case JOINS -> world.startJoins();
                case CROSS_SOURCE -> world.startCrossSource();
                case MUTATIONS -> world.serve(world.database("default", "golden_mutations", "/it/schema-mutations.sql"), "/it/metadata-mutations.yaml", Map.of());
            }
            return world;
        } catch (RuntimeException e) {
            world.close();
            throw e;
        }
    }

    private void startRemote() {
        TestDatabase db = TestDatabase.create("golden_remote").load("/it/schema.sql")
                .execute("CREATE TABLE person AS SELECT g AS id FROM generate_series(1, 500) g; ALTER TABLE person ADD PRIMARY KEY (id);");
        String url = recorded("default", db);
        TestGraphqlServer profiles = own(new TestGraphqlServer());
        remotes.put("profiles", profiles::bodies);
        // "faulty" only has to be introspected (no case calls it): a bare server answering its schema starts
        // in milliseconds, where RemoteJoinTest's WireMock takes seconds.
        String faultySchema = introspection(FAULTY_SDL);
        WebServer faulty = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.post("/graphql", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.send(faultySchema);
                }))
                .build().start();
        resources.add(faulty::stop);
        serve(url, "/it/metadata-remote.yaml", Map.of("PROFILES_URL", profiles.url(), "PROFILES_KEY", "k-123",
                "FAULTY_URL", "http://127.0.0.1:" + faulty.port() + "/graphql"));
    }

    private void startJoins() {
        String url = database("default", "golden_joins", "/it/schema.sql");
        JoinedRemoteServer profiles = own(JoinedRemoteServer.profiles());
        JoinedRemoteServer accounts = own(JoinedRemoteServer.accounts());
        remotes.put("profiles", profiles::bodies);
        remotes.put("accounts", accounts::bodies);
        serve(url, "/golden/metadata-joins.yaml", Map.of("PROFILES_URL", profiles.url(), "ACCOUNTS_URL", accounts.url()));
    }

    private void startCrossSource() {
        String url = database("default", "golden_crossmain", "/it/schema.sql");
        TestDatabase reviews = own(TestDatabase.create("golden_crossreviews").execute("""
                CREATE TABLE review (id integer PRIMARY KEY, author_id integer NOT NULL, stars integer NOT NULL);
                INSERT INTO review SELECT g, 1 + g % 4, 1 + g % 5 FROM generate_series(1, 40) g;
                """));
        serve(url, "/it/metadata-cross-source.yaml", Map.of("REVIEWS_DATABASE_URL", recorded("reviews", reviews)));
    }

    /** A database loaded from {@code schema}, recorded as source {@code source}; its recorded URL. */
    private String database(String source, String prefix, String schema) {
        return recorded(source, own(TestDatabase.create(prefix).load(schema)));
    }

    private String recorded(String source, TestDatabase db) {
        StatementRecorder recorder = own(StatementRecorder.forward(db.url()));
        sources.put(source, recorder);
        return recorder.url(db.url());
    }

    /**
     * The sidecar, with long bounds on the waits for a connection and for a statement: on a loaded machine
     * a first connection can take seconds, and a golden case must show the engine's output, not a timeout.
     * (statement_timeout is a startup parameter, so the bound is in no recorded statement.)
     */
    private void serve(String databaseUrl, String metadata, Map<String, String> env) {
        Map<String, String> patient = new LinkedHashMap<>(env);
        patient.put("JOINERY_STATEMENT_TIMEOUT_MS", "60000");
        patient.put("JOINERY_POOL_TIMEOUT_MS", "60000");
        sidecar = own(TestSidecar.start(databaseUrl, metadata, patient));
        // A world serving less than its metadata (a catalog read that failed, a remote that did not answer)
        // would fail every case of the world with a puzzling diff: say so here instead. it/metadata.yaml
        // leaves out odd_columns' two columns that are not GraphQL names, on purpose.
        List<Problem> problems = sidecar.sidecar().inconsistencies().problems();
        long unexpected = problems.stream().filter(problem -> !problem.reason().startsWith("table odd_columns, column ")).count();
        if (unexpected > 0) {
            throw new IllegalStateException(metadata + " is served with inconsistencies: " + problems);
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.add(resource);
        return resource;
    }

    /** A client of {@code /v1/graphql} with the case's headers, with or without the admin secret. */
    GraphqlClient client(GoldenCase golden) {
        GraphqlClient client = sidecar.client().withHeaders(golden.headers());
        return golden.anonymous() ? client.without("x-joinery-admin-secret") : client;
    }

    /**
     * The case's plan tree as {@code plan.PlanPrinter} prints it, planned for the same session the
     * request had; an operation refused before it is planned says so instead.
     */
    String plan(GoldenCase golden) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(golden.headers());
        if (!golden.anonymous()) {
            headers.put(SessionResolver.ADMIN_SECRET_HEADER, TestSidecar.ADMIN_SECRET);
        }
        try {
            Session session = new SessionResolver(Optional.of(TestSidecar.ADMIN_SECRET), Optional.of(TestSidecar.UNAUTHORIZED_ROLE))
                    .resolve(headers.keySet(), headers::get);
            GraphqlRequest request = new GraphqlRequest(golden.query(), null, JsonTrees.toMap(golden.variables()), Map.of());
            return PlanPrinter.print(sidecar.sidecar().engine().plan(request, session));
        } catch (JoineryException refused) {
            return "no plan: " + refused.code().code() + ": " + refused.getMessage() + "\n";
        }
    }

    /** The statement recorders by source name, in the metadata's order. */
    Map<String, StatementRecorder> sources() {
        return sources;
    }

    /** The documents each remote server has received so far, by remote schema name. */
    Map<String, Supplier<List<String>>> remotes() {
        return remotes;
    }

    private static String introspection(String sdl) {
        var schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl), RuntimeWiring.newRuntimeWiring().build());
        var result = GraphQL.newGraphQL(schema).build().execute(IntrospectionQuery.INTROSPECTION_QUERY);
        return JsonTrees.write(JsonTrees.tree(result.toSpecification()));
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing a golden world failed", e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
