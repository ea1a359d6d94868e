package io.joinery.it.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The remote of the remote-join benchmark: a small "profiles" GraphQL API (graphql-java on an embedded Helidon
 * server, as a real service would be built), which times its own work on every request.
 *
 * <pre>
 * type Query { profile(authorId: Int!): Profile }
 * type Profile { authorId: Int!  bio: String  followers: Int }
 * </pre>
 *
 * A request that carries the header {@value #REQUEST_HEADER} (the benchmark's client sends it to Joinery, and Joinery
 * forwards it because the remote schema has {@code forward_client_headers: true}) is recorded under that id: how many
 * HTTP calls came with it, how many {@code profile} fields they resolved, and the server's own time — from the moment
 * the request's body has been read to the moment the answer's bytes are ready to be written: parsing, validating and
 * executing the GraphQL query and serialising the answer. The wait between the handler's start and the end of the body
 * is recorded apart (it is transport: a client that sent its body late would show there). Helidon reading the request
 * head and writing the answer to the socket are not counted, so the remote's own time is slightly under-counted and the
 * latency Joinery adds slightly over-counted. The record is stored before the answer is written, so it is there when
 * Joinery's answer reaches the client.
 *
 * <p>The listener sets TCP_NODELAY, as the sidecar's does. Without it, Nagle's algorithm holds the tail of answers over
 * a few KB until Joinery's side acknowledges the head (delayed ACK, up to 40 ms): measured here, 500 profiles then took
 * ~55 ms p50 through Joinery instead of ~6 ms. That is the remote's configuration, not Joinery's work.
 */
final class ProfilesServer implements AutoCloseable {

    static final String REQUEST_HEADER = "x-bench-request";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SDL = """
            type Query { profile(authorId: Int!): Profile }
            type Profile { authorId: Int! bio: String followers: Int }
            """;

    /** What the remote did for one client request: HTTP calls, {@code profile} fields resolved, nanoseconds spent. */
    record Work(int calls, int fields, long nanos, long bodyWaitNanos) {
        Work plus(Work other) {
            return new Work(calls + other.calls, fields + other.fields, nanos + other.nanos, bodyWaitNanos + other.bodyWaitNanos);
        }
    }

    private final Map<String, Work> work = new ConcurrentHashMap<>();
    private final AtomicInteger untagged = new AtomicInteger();
    private final GraphQL graphql;
    private final WebServer server;

    ProfilesServer() {
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .type("Query", t -> t.dataFetcher("profile", env -> {
                    AtomicInteger fields = env.getGraphQlContext().get("fields");
                    fields.incrementAndGet();
                    return profile(env.<Integer>getArgument("authorId"));
                }))
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
                    AtomicInteger fields = new AtomicInteger();
                    ExecutionResult result = graphql.execute(ExecutionInput.newExecutionInput()
                            .query((String) request.get("query")).variables(variables)
                            .graphQLContext(Map.of("fields", fields)).build());
                    byte[] answer = JSON.writeValueAsBytes(result.toSpecification());
                    if (id == null) {
                        untagged.incrementAndGet();
                    } else {
                        work.merge(id, new Work(1, fields.get(), System.nanoTime() - start, start - head), Work::plus);
                    }
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.send(answer);
                }))
                .build().start();
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
        return done == null ? new Work(0, 0, 0, 0) : done;
    }

    /** Requests without the benchmark's header (Joinery's introspection at start). */
    int untagged() {
        return untagged.get();
    }

    @Override
    public void close() {
        server.stop();
    }
}
