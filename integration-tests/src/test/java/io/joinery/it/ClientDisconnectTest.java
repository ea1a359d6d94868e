package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.StatementRecorder;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.joinery.it.support.Polling.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request's database work stops when its client goes away (issue 15, "cancellation when the
 * client disconnects"): Postgres stops running the statement long before it would have ended or
 * timed out (30 s here), and clients that stay — kept-alive or pipelining their requests — are
 * answered as before. Over {@code it/schema-bounds.sql} and {@code it/metadata-disconnect.yaml}.
 */
class ClientDisconnectTest {

    static TestDatabase db;
    static TestSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("disconnect").load("/it/schema-bounds.sql");
        sidecar = TestSidecar.start(db.url(), "/it/metadata-disconnect.yaml", Map.of());
    }

    @AfterAll
    static void stop() {
        try (TestDatabase closingDb = db; TestSidecar closingSidecar = sidecar) {
            // closes the sidecar, then the database
        }
    }

    @Test
    void aStatementWhoseClientClosesTheConnectionStopsRunningInPostgres() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(post("{ slow_articles(args: {seconds: 25}) { id } }", true));
            socket.getOutputStream().flush();
            assertTrue(waitUntil(() -> running() == 1), "the slow statement runs");
        }
        long closed = System.nanoTime();
        assertTrue(waitUntil(() -> running() == 0), "Postgres still runs the statement of a client that went away");
        Duration after = Duration.ofNanos(System.nanoTime() - closed);
        assertTrue(after.toSeconds() < 5, "stopped " + after + " after the client closed; it would have run 25 s");

        String answer = exchange(post("{ article(order_by: {id: asc}) { id } }", false));
        assertEquals(JsonTrees.parse("{\"data\":{\"article\":[{\"id\":1},{\"id\":2}]}}"), json(answer), "the sidecar still answers");
    }

    @Test
    void aClientThatWaitsForASlowStatementIsAnsweredAndItsConnectionServesTheNextRequest() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(post("{ slow_articles(args: {seconds: 0.8}) { id } }", true));
            out.flush();
            assertEquals(JsonTrees.parse("{\"data\":{\"slow_articles\":[{\"id\":1},{\"id\":2}]}}"), json(read(socket.getInputStream())));

            out.write(post("{ article(where: {id: {_eq: 2}}) { id } }", true));
            out.flush();
            assertEquals(JsonTrees.parse("{\"data\":{\"article\":[{\"id\":2}]}}"), json(read(socket.getInputStream())),
                    "the kept-alive connection serves the next request whole");
        }
    }

    @Test
    void aKeptAliveConnectionServesSlowAndLargeRequestsOneAfterAnother() throws Exception {
        // Each slow statement starts a watch of the connection; the next request's bytes must reach it whole.
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 12; i++) {
                String padding = " ".repeat(i % 2 == 0 ? 0 : 100_000);
                out.write(post("{ slow_articles(args: {seconds: 0.25}, where: {id: {_eq: " + (i % 2 + 1) + "}}) { id } }" + padding, true));
                out.flush();
                assertEquals(JsonTrees.parse("{\"data\":{\"slow_articles\":[{\"id\":" + (i % 2 + 1) + "}]}}"), json(read(in)), "request " + i);
            }
        }
    }

    @Test
    void pipelinedRequestsBehindASlowStatementAreAnsweredInOrder() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.write(post("{ slow_articles(args: {seconds: 0.8}) { id } }", true));
            both.write(post("{ article(where: {id: {_eq: 1}}) { id } }", true));
            out.write(both.toByteArray());
            out.flush();
            InputStream in = socket.getInputStream();
            assertEquals(JsonTrees.parse("{\"data\":{\"slow_articles\":[{\"id\":1},{\"id\":2}]}}"), json(read(in)));
            assertEquals(JsonTrees.parse("{\"data\":{\"article\":[{\"id\":1}]}}"), json(read(in)),
                    "the request sent while the statement ran is read whole: the watch hands back what it read");
        }
    }

    @Test
    void aReadCancelledByACancelMeantForAnotherStatementIsRetriedAndAnswered() throws Exception {
        // A cancel that lands just after the statement it was meant for ended hits the next statement on
        // that backend: for a read, that costs a retry, never the answer. Cancelling by hand does the same.
        CompletableFuture<JsonNode> read = CompletableFuture.supplyAsync(() -> {
            try {
                return json(exchange(post("{ slow_articles(args: {seconds: 1}, order_by: {id: asc}) { id } }", false)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertTrue(waitUntil(() -> running() == 1), "the read runs");
        assertEquals(1, db.queryLong("SELECT count(*) FROM (SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = '"
                + db.name() + "' AND state = 'active' AND query LIKE '%slow_articles%' AND pid <> pg_backend_pid()) cancelled"));

        assertEquals(JsonTrees.parse("{\"data\":{\"slow_articles\":[{\"id\":1},{\"id\":2}]}}"), read.get(20, TimeUnit.SECONDS));
    }

    @Test
    void aReadWhoseClientGoesBeforeItsStatementIsSentNeverReachesPostgres() throws Exception {
        // One connection, busy with a long statement: the next read waits in the sidecar for it (Note
        // [Reads two to a connection]). Its client goes away meanwhile: the read is taken back, not sent.
        try (StatementRecorder recorder = StatementRecorder.forward(db.url());
             TestSidecar one = TestSidecar.start(recorder.url(db.url()), "/it/metadata-disconnect.yaml", Map.of("JOINERY_POOL_SIZE", "1"))) {
            int before = recorder.executed().size();
            try (Socket slow = connect(one)) {
                slow.getOutputStream().write(post("{ slow_articles(args: {seconds: 2}) { id } }", true));
                slow.getOutputStream().flush();
                assertTrue(waitUntil(() -> running() == 1), "the slow statement runs");
                Thread.sleep(100); // past Lanes.STALLED_AFTER: nothing is sent behind it now
                try (Socket waiting = connect(one)) {
                    waiting.getOutputStream().write(post("{ article(where: {id: {_eq: 2}}) { id } }", true));
                    waiting.getOutputStream().flush();
                    Thread.sleep(500); // the read waits, and its client is watched (Database.WATCH_AFTER_MILLIS)
                }
                assertEquals(JsonTrees.parse("{\"data\":{\"slow_articles\":[{\"id\":1},{\"id\":2}]}}"), json(read(slow.getInputStream())),
                        "the slow statement's client, still there, is answered");
            }
            assertEquals(JsonTrees.parse("{\"data\":{\"article\":[{\"id\":1}]}}"),
                    json(exchange(one, post("{ article(where: {id: {_eq: 1}}) { id } }", false))),
                    "the next read is answered: the one taken back gave its place up");
            List<String> executed = recorder.executedSince(before);
            assertEquals(2, executed.size(), "the slow statement and the last read, not the read whose client went: " + executed);
            assertTrue(executed.get(0).contains("slow_articles"), executed.get(0));
            assertTrue(!executed.get(1).contains("slow_articles") && executed.get(1).contains("\"article\""), executed.get(1));
        }
    }

    private static Socket connect() throws IOException {
        return connect(sidecar);
    }

    private static Socket connect(TestSidecar sidecar) throws IOException {
        URI uri = sidecar.graphqlUri("/v1/graphql");
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static byte[] post(String query, boolean keepAlive) {
        String body = "{\"query\": \"" + query.replace("\"", "\\\"") + "\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length + "\r\n" + (keepAlive ? "" : "Connection: close\r\n") + "\r\n";
        byte[] out = new byte[head.length() + bytes.length];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, out, 0, head.length());
        System.arraycopy(bytes, 0, out, head.length(), bytes.length);
        return out;
    }

    private static String exchange(byte[] request) throws IOException {
        return exchange(sidecar, request);
    }

    private static String exchange(TestSidecar sidecar, byte[] request) throws IOException {
        try (Socket socket = connect(sidecar)) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        }
    }

    /** One response, read by its Content-Length: the head and the body. */
    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed after " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return text + new String(body, StandardCharsets.UTF_8);
    }

    private static JsonNode json(String response) {
        return JsonTrees.parse(response.substring(response.indexOf("\r\n\r\n") + 4));
    }

    /** Statements of this database running slow_articles now (the tests run one at a time). */
    private static long running() {
        return db.queryLong("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db.name()
                + "' AND state = 'active' AND query LIKE '%slow_articles%' AND pid <> pg_backend_pid()");
    }
}
