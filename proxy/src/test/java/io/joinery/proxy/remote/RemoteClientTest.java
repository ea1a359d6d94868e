package io.joinery.proxy.remote;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RemoteClientTest {

    /** Reading the answer as a stream still reads it to its end, so the connection goes back to the pool. */
    @Test
    void answersReadAsAStreamLeaveTheConnectionForTheNextCall() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> serve(server, connections));
            try (RemoteClient client = new RemoteClient("r", URI.create("http://127.0.0.1:" + server.getLocalPort() + "/graphql"),
                    Map.of(), Duration.ofSeconds(30), 1024)) {   // generous: the assertion is the one connection, not the time
                for (int i = 0; i < 3; i++) {
                    assertEquals("ok", client.post("{ x }", Map.of(), Map.of()).path("data").path("x").asText());
                }
            }
        }
        assertEquals(1, connections.get(), "three calls over one keep-alive connection");
    }

    /** A keep-alive HTTP/1.1 server answering every request {@code {"data":{"x":"ok"}}}, counting connections. */
    private static void serve(ServerSocket server, AtomicInteger connections) {
        byte[] body = "{\"data\":{\"x\":\"ok\"}}\n".getBytes(StandardCharsets.UTF_8);
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                connections.incrementAndGet();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = socket.getOutputStream();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    int length = 0;
                    for (; line != null && !line.isEmpty(); line = in.readLine()) {
                        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    for (long left = length; left > 0; ) {
                        left -= in.skip(left);
                    }
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                }
            } catch (IOException e) {
                // The listening socket closed at the end of the test (or a connection did): nothing more to serve.
                return;
            }
        }
    }

    /**
     * A remote that takes the request and never answers: the call fails at its bound, and its
     * connection is closed then, so no thread stays behind waiting for it (Note [The sockets' read
     * timeout] in RemoteClient).
     */
    @Test
    void aRemoteThatNeverAnswersIsCutAtTheBoundAndItsConnectionClosed() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CompletableFuture<Long> closedAfter = new java.util.concurrent.CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (Socket socket = server.accept()) {
                    long accepted = System.nanoTime();
                    java.io.InputStream in = socket.getInputStream();
                    while (in.read() >= 0) {
                        // the request, then nothing: this remote never answers; -1 when the client closes
                    }
                    closedAfter.complete(Duration.ofNanos(System.nanoTime() - accepted).toMillis());
                } catch (IOException e) {
                    closedAfter.completeExceptionally(e);
                }
            });
            try (RemoteClient client = new RemoteClient("r", URI.create("http://127.0.0.1:" + server.getLocalPort() + "/graphql"),
                    Map.of(), Duration.ofMillis(500), 1024)) {
                long start = System.nanoTime();
                RemoteFailure failure = assertThrows(RemoteFailure.class, () -> client.post("{ x }", Map.of(), Map.of()));
                long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertEquals("remote schema 'r' did not answer within 500 ms", failure.getMessage());
                org.junit.jupiter.api.Assertions.assertTrue(waited < 3_000, "the caller waited " + waited + " ms");
                long closed = closedAfter.get(5, java.util.concurrent.TimeUnit.SECONDS);
                org.junit.jupiter.api.Assertions.assertTrue(closed < 3_000, "the connection was closed after " + closed + " ms");
            }
        }
    }

    @Test
    void whereNamesTheUrlWithoutCredentialsOrQuery() {
        try (RemoteClient client = new RemoteClient("r", URI.create("https://user:pw@remote.internal:8443/v1/graphql?token=secret"),
                Map.of(), Duration.ofSeconds(1), 1024)) {
            assertEquals("POST https://remote.internal:8443/v1/graphql", client.where());
        }
    }

    @Test
    void causeSaysWhatWentWrongUnderneathInAFewWords() {
        assertEquals("connection refused", RemoteClient.cause(new UncheckedIOException(new ConnectException("Connection refused"))));
        assertEquals("unknown host nowhere.invalid", RemoteClient.cause(new UnknownHostException("nowhere.invalid")));
    }

    @Test
    void aClosedClientFailsAsARemoteFailureNamingTheRemote() {
        RemoteClient client = new RemoteClient("r", URI.create("http://127.0.0.1:9/graphql"), Map.of(), Duration.ofSeconds(1), 1024);
        client.release();
        RemoteFailure failure = assertThrows(RemoteFailure.class, () -> client.post("{ x }", Map.of(), Map.of()));
        assertEquals("remote schema 'r' is unavailable: its client is closed", failure.getMessage());
    }
}
