package io.joinery.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Liveness of the GraphQL listener, seen as a client sees it: a new connection (so the accept
 * thread is exercised, not a kept-alive connection) and a request, answered with any HTTP status
 * line within {@code timeout}. A listener whose accept thread died refuses or never answers.
 */
final class ListenerProbe {

    private static final Set<String> ANY_ADDRESS = Set.of("0.0.0.0", "::", "[::]");
    private static final byte[] REQUEST = "GET /health/live HTTP/1.1\r\nHost: joinery\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private final String host;
    private final int port;
    private final Duration timeout;

    ListenerProbe(String host, int port, Duration timeout) {
        this.host = ANY_ADDRESS.contains(host) ? "127.0.0.1" : host;
        this.port = port;
        this.timeout = timeout;
    }

    /** Empty when the listener answers; else why not, for the liveness answer. */
    Optional<String> problem() {
        try (Socket socket = new Socket()) {
            int millis = Math.toIntExact(timeout.toMillis());
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            socket.getOutputStream().write(REQUEST);
            String status = statusLine(socket.getInputStream());
            return status.startsWith("HTTP/1.") ? Optional.empty()
                    : Optional.of("the GraphQL listener on " + host + ":" + port + " answered '" + status + "', not HTTP");
        } catch (IOException e) {
            return Optional.of("the GraphQL listener on " + host + ":" + port + " does not answer within "
                    + timeout.toMillis() + " ms: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != -1 && b != '\r' && b != '\n' && line.length() < 64; b = in.read()) {
            line.append((char) b);
        }
        return line.toString();
    }
}
