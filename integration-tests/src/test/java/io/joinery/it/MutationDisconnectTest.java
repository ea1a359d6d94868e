package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

import static io.joinery.it.support.Polling.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write whose client goes away ends whole (Note [Writes and disconnects] in {@code execute.Database}):
 * unlike a read, it is not cancelled; it runs to its end and commits, so the database holds all of it,
 * never a part, and the sidecar serves on. The mutation is held mid-way by a row lock this test takes,
 * and the client closes its connection while it waits; the lock is then released. Over
 * {@code it/schema-bounds.sql} and {@code it/metadata-disconnect.yaml} (statements may run 30 s).
 */
class MutationDisconnectTest {

    static TestDatabase db;
    static TestSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("mutation_disconnect").load("/it/schema-bounds.sql");
        sidecar = TestSidecar.start(db.url(), "/it/metadata-disconnect.yaml", Map.of());
    }

    @AfterAll
    static void stop() {
        try (TestDatabase closingDb = db; TestSidecar closingSidecar = sidecar) {
            // closes the sidecar, then the database
        }
    }

    @Test
    void aTransactionWhoseClientClosesTheConnectionMidWayEndsWhole() throws Exception {
        // Two fields: one transaction. The first writes, the second waits for the row this test holds.
        String mutation = "mutation { insert_author_one(object: {id: 10, name: \"Grace\"}) { id }"
                + " update_article_by_pk(pk_columns: {id: 1}, _set: {title: \"Held\"}) { id } }";
        closeMidWay(mutation);

        assertTrue(waitUntil(() -> db.queryLong("SELECT count(*) FROM author WHERE id = 10") == 1), "the transaction committed");
        assertEquals(1, db.queryLong("SELECT count(*) FROM article WHERE id = 1 AND title = 'Held'"), "all of it: both fields' writes");
        assertServesOn();
    }

    @Test
    void aSingleWriteWhoseClientClosesTheConnectionMidWayEndsWhole() throws Exception {
        // One field, no check: one statement in autocommit (Note [One write, no transaction]).
        closeMidWay("mutation { update_article(where: {id: {_in: [1, 2]}}, _set: {metadata: {held: true}}) { affected_rows } }");

        assertTrue(waitUntil(() -> db.queryLong("SELECT count(*) FROM article WHERE metadata = '{\"held\": true}'") == 2),
                "the statement ran to its end: both rows");
        assertServesOn();
    }

    /**
     * Holds article 1 locked, sends {@code mutation}, waits until it waits for the lock, closes the
     * client's connection, checks that the write still waits well past the point where a read's
     * statement would have been cancelled, then releases the lock.
     */
    private static void closeMidWay(String mutation) throws Exception {
        try (Connection holder = DriverManager.getConnection(db.jdbcUrl()); Statement lock = holder.createStatement()) {
            holder.setAutoCommit(false);
            lock.execute("SELECT * FROM article WHERE id = 1 FOR UPDATE");
            try (Socket socket = connect()) {
                socket.getOutputStream().write(post(mutation));
                socket.getOutputStream().flush();
                assertTrue(waitUntil(() -> waiting() == 1), "the mutation waits for the locked row");
            }
            Thread.sleep(1_000);
            assertEquals(1, waiting(), "the write still runs after its client went away");
            holder.commit();
        }
    }

    private static void assertServesOn() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(post("{ author_by_pk(id: 1) { name } }"));
            socket.getOutputStream().flush();
            assertEquals(JsonTrees.parse("{\"data\":{\"author_by_pk\":{\"name\":\"Ada\"}}}"), json(read(socket.getInputStream())),
                    "the sidecar still answers");
        }
    }

    /** Statements of the sidecar on this database waiting for a lock. */
    private static long waiting() {
        return db.queryLong("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db.name()
                + "' AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()");
    }

    private static Socket connect() throws IOException {
        URI uri = sidecar.graphqlUri("/v1/graphql");
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static byte[] post(String query) {
        String body = "{\"query\": \"" + query.replace("\"", "\\\"") + "\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nx-joinery-admin-secret: "
                + TestSidecar.ADMIN_SECRET + "\r\nContent-Length: " + bytes.length + "\r\n\r\n";
        byte[] out = new byte[head.length() + bytes.length];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, out, 0, head.length());
        System.arraycopy(bytes, 0, out, head.length(), bytes.length);
        return out;
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
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static JsonNode json(String response) {
        return JsonTrees.parse(response.substring(response.indexOf("\r\n\r\n") + 4));
    }
}
