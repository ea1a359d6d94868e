package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The HTTP edge as a hostile or careless client meets it, over raw sockets where an HTTP client
 * would not send the bytes: answers Helidon gives before routing are JSON in Hasura's shape, a body
 * with trailing garbage is not JSON, role names are role names, a caller without the secret cannot
 * claim session variables, and a client that stalls mid-request loses its connection.
 */
class EdgeHygieneTest {

    private static final int MAX_REQUEST_BYTES = 4096;
    private static TestDatabase db;
    private static TestSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("edge").load("/it/schema.sql")
                .execute("CREATE FUNCTION slow_authors() RETURNS SETOF author STABLE LANGUAGE sql AS $$"
                        + " SELECT a.* FROM author a, pg_sleep(2) $$");
        sidecar = TestSidecar.start(db.url(), "/it/metadata-edge.yaml", Map.of(
                "JOINERY_MAX_REQUEST_BYTES", String.valueOf(MAX_REQUEST_BYTES), "JOINERY_READ_TIMEOUT_SECONDS", "1"));
    }

    @AfterAll
    static void stop() {
        try (TestDatabase closingDatabase = db; TestSidecar closingSidecar = sidecar) {
            // the sidecar closes first, then the database
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedWithAJsonError() throws IOException {
        String body = "{\"query\":\"" + "x".repeat(MAX_REQUEST_BYTES * 2) + "\"}";
        RawAnswer answer = exchange(sidecar.graphqlUri("/"), "POST /v1/graphql HTTP/1.1\r\nHost: joinery\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        assertEquals(413, answer.status(), answer.toString());
        assertHasuraError(answer, "bad-request", "larger than the limit of " + MAX_REQUEST_BYTES + " bytes");
    }

    @Test
    void aControlCharacterInAHeaderIsRefusedWithAJsonError() throws IOException {
        RawAnswer answer = exchange(sidecar.graphqlUri("/"), "POST /v1/graphql HTTP/1.1\r\nHost: joinery\r\nX-Joinery-Role: us\u0001er\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
        assertEquals(400, answer.status(), answer.toString());
        assertHasuraError(answer, "bad-request", "not valid HTTP");
    }

    @Test
    void theAdminListenerAnswersTransportErrorsWithItsJsonShape() throws IOException {
        RawAnswer answer = exchange(sidecar.adminUri("/"), "GET /health/live HTTP/1.1\r\nHost: joinery\r\nX-Bad: a\u0001b\r\n\r\n");
        assertEquals(400, answer.status(), answer.toString());
        JsonNode body = JsonTrees.parse(answer.body());
        assertEquals("bad-request", body.path("code").asText(), answer.toString());
        assertTrue(body.path("message").asText().contains("not valid HTTP"), answer.toString());
    }

    @Test
    void aPersistedQueryExtensionIsNotSupportedAsInHasura() {
        GraphqlResponse answer = sidecar.client().postText(
                "{\"query\":\"{ author { id } }\",\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"abc\"}}}");
        assertEquals(200, answer.status(), answer.toString());
        assertEquals("not-supported", answer.errors().path(0).path("extensions").path("code").asText(), answer.toString());
        assertTrue(answer.json().path("data").isMissingNode(), "no data: " + answer);
        GraphqlResponse plain = sidecar.client().postText("{\"query\":\"{ author(limit: 1) { id } }\",\"extensions\":null}");
        assertTrue(plain.errors().isMissingNode() && plain.data().path("author").size() == 1, "other extensions are no matter: " + plain);
    }

    @Test
    void aLikePatternEndingInItsEscapeCharacterIsABadRequest() {
        GraphqlResponse answer = sidecar.client().query("{ author(where: {name: {_like: \"%\\\\\"}}) { id } }");
        assertEquals("bad-request", answer.errors().path(0).path("extensions").path("code").asText(), answer.toString());
        assertTrue(answer.errors().path(0).path("message").asText().contains("escape"), answer.toString());
    }

    @Test
    void trailingGarbageAfterTheJsonBodyIsInvalidJson() {
        GraphqlResponse answer = sidecar.client().postText("{\"query\":\"{ author { id } }\"} xyz");
        assertEquals(400, answer.status(), answer.toString());
        assertEquals("invalid-json", answer.errors().path(0).path("extensions").path("code").asText(), answer.toString());
        assertTrue(answer.json().path("data").isMissingNode(), "no data: " + answer);
        assertEquals(200, sidecar.client().postText("{\"query\":\"{ author(limit: 1) { id } }\"}  \n").status(),
                "trailing whitespace is still fine");
    }

    @Test
    void aRoleHeaderThatIsNotARoleNameIsRefused() throws IOException {
        String body = "{\"query\":\"{ author { id } }\"}";
        for (String role : new String[]{"us\"er", "us'er", "us\u00e2\u0080\u00aeer"}) {
            // the last is U+202E (right-to-left override) as its UTF-8 bytes
            RawAnswer answer = exchange(sidecar.graphqlUri("/"), "POST /v1/graphql HTTP/1.1\r\nHost: joinery\r\n"
                    + "X-Joinery-Admin-Secret: " + TestSidecar.ADMIN_SECRET + "\r\nX-Joinery-Role: " + role + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            assertTrue(answer.status() == 400 || answer.status() == 401, answer.toString());
            JsonNode error = JsonTrees.parse(answer.body()).path("errors").path(0);
            assertTrue(error.path("extensions").path("code").asText().matches("access-denied|bad-request"), answer.toString());
            assertFalse(answer.body().contains("\"data\""), "no data: " + answer);
        }
        GraphqlResponse quoted = sidecar.client().withHeaders(Map.of("x-joinery-role", "us\"er")).query("{ author { id } }");
        assertEquals(401, quoted.status(), quoted.toString());
        assertEquals("access-denied", quoted.errors().path(0).path("extensions").path("code").asText(), quoted.toString());
        assertTrue(quoted.errors().path(0).path("message").asText().contains("not a valid role name"), quoted.toString());
    }

    @Test
    void aCallerWithoutTheSecretCannotClaimSessionVariables() {
        GraphqlClient anonymous = sidecar.client().without("x-joinery-admin-secret").withHeaders(Map.of("x-joinery-user-id", "1"));
        GraphqlResponse answer = anonymous.query("{ author { id name } }");
        assertFalse(answer.data().path("author").path(0).has("id"), "the client's x-joinery-user-id reached the filter: " + answer);
        assertEquals("missing session variable: \"x-joinery-user-id\"", answer.errors().path(0).path("message").asText(), answer.toString());
    }

    @Test
    void anOperatorMayLetCallersWithoutTheSecretSendSessionVariables() {
        try (TestSidecar trusting = TestSidecar.start(db.url(), "/it/metadata-edge.yaml", Map.of("JOINERY_UNAUTHORIZED_SESSION_HEADERS", "true"))) {
            GraphqlResponse answer = trusting.client().without("x-joinery-admin-secret").withHeaders(Map.of("x-joinery-user-id", "1"))
                    .query("{ author { id name } }");
            assertEquals("[{\"id\":1,\"name\":\"Margaret\"}]", answer.data().path("author").toString(), answer.toString());
        }
    }

    @Test
    void aClientThatStallsInTheMiddleOfItsHeadersLosesTheConnection() throws IOException {
        assertClosedByTheServer(sidecar.graphqlUri("/"), "POST /v1/graphql HTTP/1.1\r\nHost: joinery\r\nContent-Type: appl");
        assertClosedByTheServer(sidecar.adminUri("/"), "GET /health/live HTTP/1.1\r\nHost: joi");
    }

    @Test
    void aClientThatStallsInTheMiddleOfItsBodyLosesTheConnection() throws IOException {
        assertClosedByTheServer(sidecar.graphqlUri("/"), "POST /v1/graphql HTTP/1.1\r\nHost: joinery\r\nContent-Type: application/json\r\n"
                + "X-Joinery-Admin-Secret: " + TestSidecar.ADMIN_SECRET + "\r\nContent-Length: 100\r\n\r\n{\"query\":");
    }

    @Test
    void aRequestThatTakesLongerThanTheReadTimeoutIsStillAnswered() {
        GraphqlResponse answer = sidecar.client().query("{ slow_authors(limit: 1, order_by: {id: asc}) { id } }");
        assertEquals("[{\"id\":1}]", answer.data().path("slow_authors").toString(), "a 2 s query under a 1 s read timeout: " + answer);
    }

    /** Sends {@code head} and waits: the server must close the connection (its read timeout is 1 s) well within 10 s. */
    private static void assertClosedByTheServer(URI listener, String head) throws IOException {
        try (Socket socket = new Socket(listener.getHost(), listener.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            try {
                byte[] rest = socket.getInputStream().readAllBytes();
                assertTrue(rest.length == 0 || new String(rest, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 4"),
                        "closed, or answered with an error first: " + new String(rest, StandardCharsets.ISO_8859_1));
            } catch (SocketTimeoutException e) {
                fail("the server kept a stalled connection open for 10 s: " + head.replace("\r\n", "\\r\\n"));
            } catch (SocketException e) {
                // a reset is a close too
                assertTrue(e.getMessage() != null && e.getMessage().contains("reset"), e.toString());
            }
        }
    }

    private static void assertHasuraError(RawAnswer answer, String code, String messagePart) {
        assertTrue(answer.headers().toLowerCase().contains("content-type: application/json"), answer.toString());
        JsonNode error = JsonTrees.parse(answer.body()).path("errors").path(0);
        assertEquals(code, error.path("extensions").path("code").asText(), answer.toString());
        assertTrue(error.path("message").asText().contains(messagePart), answer.toString());
        assertTrue(error.path("extensions").has("path"), answer.toString());
    }

    /** One request as raw bytes (ISO-8859-1, so any byte can be sent) on a new connection; the answer read until the server closes. */
    private static RawAnswer exchange(URI listener, String request) throws IOException {
        try (Socket socket = new Socket(listener.getHost(), listener.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                    read.write(buffer, 0, n);
                    if (complete(read.toString(StandardCharsets.UTF_8))) {
                        break;
                    }
                }
            } catch (SocketException e) {
                // the server may reset after answering, with the unread rest of the request in its buffer
                if (read.size() == 0) {
                    throw e;
                }
            }
            return RawAnswer.parse(read.toString(StandardCharsets.UTF_8));
        }
    }

    /** Whether {@code text} holds a whole answer: its head and as many body bytes as its Content-Length says. */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text.substring(0, end));
        return length.find() && text.length() - end - 4 >= Integer.parseInt(length.group(1));
    }

    private record RawAnswer(int status, String headers, String body) {
        static RawAnswer parse(String text) {
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String body = end < 0 ? "" : text.substring(end + 4);
            String[] statusLine = head.split("\r\n", 2)[0].split(" ");
            return new RawAnswer(statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1, head, body);
        }

        @Override
        public String toString() {
            return status + " " + headers.replace("\r\n", " | ") + " || " + body;
        }
    }
}
