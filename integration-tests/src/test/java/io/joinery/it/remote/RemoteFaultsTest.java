package io.joinery.it.remote;

import com.fasterxml.jackson.databind.JsonNode;
import graphql.GraphQL;
import graphql.introspection.IntrospectionQuery;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerResponse;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Remotes that fail on purpose: one answers far more than {@code JOINERY_MAX_REMOTE_RESPONSE_BYTES}
 * (refused with {@code remote-schema-error}, read no further, the database fields still served),
 * one goes away after introspection (its error names the URL and the cause, to admins only).
 */
class RemoteFaultsTest {

    private static final long CAP = 1 << 20;
    private static final int HUGE = 64 << 20;

    static TestDatabase db;
    static HugeRemote huge;
    static WebServer gone;
    static int gonePort;
    static TestSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("remotefaults").load("/it/schema.sql");
        huge = new HugeRemote();
        String goneIntrospection = introspection("type Query { goneHello: String }");
        // Connection: close, so that the next call opens a connection (and finds nobody listening).
        gone = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.post("/graphql", (req, res) -> {
                    req.content().consume();
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.header(HeaderValues.CONNECTION_CLOSE);
                    res.send(goneIntrospection);
                }))
                .build().start();
        gonePort = gone.port();
        sidecar = TestSidecar.start(db.url(), "/it/metadata-remote-faults.yaml", Map.of(
                "HUGE_URL", huge.url(),
                "GONE_URL", "http://127.0.0.1:" + gonePort + "/graphql",
                "JOINERY_MAX_REMOTE_RESPONSE_BYTES", String.valueOf(CAP)));
    }

    @AfterAll
    static void stop() {
        try (TestSidecar closingSidecar = sidecar; HugeRemote closingHuge = huge; TestDatabase closingDb = db) {
            if (gone.isRunning()) {
                gone.stop();
            }
        }
    }

    /** {@code streamed}: chunked, no length; {@code sized}: a Content-Length past the cap. */
    @ParameterizedTest
    @ValueSource(strings = {"streamed", "sized"})
    void anAnswerPastTheCapIsRefusedAndTheRestOfTheResponseServed(String field) throws InterruptedException {
        int earlier = huge.answers();
        GraphqlResponse answer = sidecar.client().query("{ author(limit: 2, order_by: {id: asc}) { id } " + field + " }");
        assertEquals(200, answer.status(), answer.toString());
        assertEquals(2, answer.data().path("author").size(), "the database fields are served: " + answer);
        assertTrue(answer.data().path(field).isNull(), "the remote field is null: " + answer);
        JsonNode error = answer.errors().path(0);
        assertEquals("remote-schema-error", error.path("extensions").path("code").asText(), answer.toString());
        assertEquals("remote schema 'huge' answered more than " + CAP + " bytes", error.path("message").asText(), answer.toString());
        long sent = huge.awaitSent(earlier);
        assertTrue(sent < HUGE / 2, "the sidecar stopped reading past the cap: the remote got " + sent + " of " + HUGE + " bytes out");
    }

    @Test
    void oversizedAnswersInFlightAtOnceLeaveTheHeapAlone() throws Exception {
        long before = heapAfterGc();
        int requests = 4;
        int sentBefore = huge.finished();
        List<GraphqlResponse> answers = new ArrayList<>();
        try (ExecutorService callers = Executors.newFixedThreadPool(requests)) {
            List<Future<GraphqlResponse>> pending = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                pending.add(callers.submit(() -> sidecar.client().query("{ streamed }")));
            }
            // While every request has either been answered or had the whole 64 MB sent to it (the
            // remote then holds the answer open): what the sidecar keeps of them is on the heap now.
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (pending.stream().filter(Future::isDone).count() + (huge.finished() - sentBefore) < requests
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long answered = pending.stream().filter(Future::isDone).count();
            int sentWhole = huge.finished() - sentBefore;
            long during = heapAfterGc() - before;
            for (Future<GraphqlResponse> answer : pending) {
                answers.add(answer.get());
            }
            System.out.println("heap growth with " + requests + " oversized answers in flight: " + (during >> 10) + " KB");
            assertTrue(during < 48L << 20, "the heap grew by " + (during >> 20) + " MB with " + requests
                    + " answers of " + (HUGE >> 20) + " MB in flight (cap " + CAP + " bytes; " + answered + " answered, "
                    + sentWhole + " sent whole)");
        }
        for (GraphqlResponse answer : answers) {
            assertEquals("remote schema 'huge' answered more than " + CAP + " bytes",
                    answer.errors().path(0).path("message").asText(), answer.toString());
        }
    }

    @Test
    void anUnreachableRemoteNamesItsUrlAndTheCauseToAdminsOnly() {
        gone.stop();
        GraphqlResponse admin = sidecar.client().query("{ goneHello }");
        JsonNode error = admin.errors().path(0);
        assertEquals("remote-schema-error", error.path("extensions").path("code").asText(), admin.toString());
        assertEquals("remote schema 'gone' is unreachable", error.path("message").asText(), admin.toString());
        String internal = error.path("extensions").path("internal").asText();
        assertTrue(internal.contains("http://127.0.0.1:" + gonePort + "/graphql") && internal.contains("connection refused"),
                "an admin sees the URL and the cause: " + admin);

        GraphqlResponse anonymous = sidecar.client().without("x-joinery-admin-secret").query("{ goneHello }");
        JsonNode seen = anonymous.errors().path(0);
        assertEquals("remote-schema-error", seen.path("extensions").path("code").asText(), anonymous.toString());
        assertEquals("remote schema 'gone' is unreachable", seen.path("message").asText(), anonymous.toString());
        assertTrue(seen.path("extensions").path("internal").isMissingNode(), "no internals for a non-admin: " + anonymous);
        assertFalse(anonymous.text().contains(String.valueOf(gonePort)), "nor the URL: " + anonymous);
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String introspection(String sdl) {
        var schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl), RuntimeWiring.newRuntimeWiring().build());
        return JsonTrees.write(JsonTrees.tree(GraphQL.newGraphQL(schema).build().execute(IntrospectionQuery.INTROSPECTION_QUERY).toSpecification()));
    }

    /**
     * A remote whose fields {@code streamed} and {@code sized} answer a 64 MB string, written in
     * 1 MB pieces ({@code sized} with its Content-Length), then held open for 25 s before the end
     * of the JSON: a client that reads the answer whole holds all of it meanwhile, and times out (20 s). It records
     * how many bytes each answer got out before the client went away.
     */
    static final class HugeRemote implements AutoCloseable {

        private final WebServer server;
        private final List<Long> sent = new CopyOnWriteArrayList<>();
        private final AtomicInteger finished = new AtomicInteger();
        private final AtomicInteger cut = new AtomicInteger();
        private final String introspection = introspection("type Query { streamed: String sized: String }");

        HugeRemote() {
            server = WebServer.builder().host("127.0.0.1").port(0)
                    .routing(r -> r.post("/graphql", (req, res) -> {
                        String body = req.content().as(String.class);
                        res.header(HeaderNames.CONTENT_TYPE, "application/json");
                        if (body.contains("__schema")) {
                            res.send(introspection);
                        } else {
                            stream(res, body.contains("sized") ? "sized" : "streamed");
                        }
                    }))
                    .build().start();
        }

        private void stream(ServerResponse res, String field) {
            byte[] head = ("{\"data\":{\"" + field + "\":\"").getBytes(StandardCharsets.UTF_8);
            byte[] tail = "\"}}".getBytes(StandardCharsets.UTF_8);
            byte[] piece = new byte[1 << 20];
            Arrays.fill(piece, (byte) 'x');
            if (field.equals("sized")) {
                res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(head.length + (long) HUGE + tail.length));
            }
            long out = 0;
            try (OutputStream stream = res.outputStream()) {
                stream.write(head);
                out += head.length;
                for (int written = 0; written < HUGE; written += piece.length) {
                    stream.write(piece);
                    out += piece.length;
                }
                stream.flush();
                finished.incrementAndGet();
                Thread.sleep(Duration.ofSeconds(25));
                stream.write(tail);
                out += tail.length;
            } catch (IOException | UncheckedIOException e) {
                // The client went away: how far the answer got (recorded below) is what the tests measure.
                cut.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                sent.add(out);
            }
        }

        /** The answers ended so far (sent whole or cut off). */
        int answers() {
            return sent.size();
        }

        /** Waits (at most 15 s) for answer number {@code index} (from 0) to end; returns the bytes it got out. */
        long awaitSent(int index) throws InterruptedException {
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (sent.size() <= index && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(sent.size() > index, "the remote's answer ended");
            return sent.get(index);
        }

        /** The answers whose 64 MB were all sent. */
        int finished() {
            return finished.get();
        }

        String url() {
            return "http://127.0.0.1:" + server.port() + "/graphql";
        }

        @Override
        public void close() {
            server.stop();
        }
    }
}
