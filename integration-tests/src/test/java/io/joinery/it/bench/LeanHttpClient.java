package io.joinery.it.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Note [A lean load generator]: the JDK's {@link java.net.http.HttpClient} costs tens of microseconds of CPU per
 * request (its selector thread, its futures, header maps, a String body), CPU that on two shared cores a benchmark's
 * floor without HTTP does not pay, so a benchmark whose client runs in the sidecar's JVM measured the client as much
 * as the sidecar. This client is what wrk is, in the same JVM: HTTP/1.1 keep-alive over plain blocking sockets, one
 * connection per caller at a time (taken from a pool, given back after the answer), the request's bytes written in one
 * write (the request line, Host, User-Agent, Content-Type and Content-Length headers, as the JDK client sends them,
 * and the body), the answer read up to its Content-Length. It speaks only what the benchmarks need: a POST and an
 * answer with a Content-Length (no chunked encoding, no redirects, no TLS). Run on platform threads, its CPU is
 * counted per thread ({@link LoadGenerator#runOnPlatformThreads}), so a report can give it apart.
 */
final class LeanHttpClient implements AutoCloseable {

    /** A status and the body of an answer. */
    record Answer(int status, byte[] body) {
        boolean startsWith(byte[] prefix) {
            return body.length >= prefix.length && Arrays.equals(body, 0, prefix.length, prefix, 0, prefix.length);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final InetSocketAddress address;
    private final byte[] head;
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Connection> all = new ConcurrentLinkedQueue<>();

    /** POSTs of JSON to {@code path} on 127.0.0.1:{@code port}. */
    LeanHttpClient(int port, String path) {
        this.address = new InetSocketAddress("127.0.0.1", port);
        this.head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUser-Agent: joinery-bench\r\n"
                + "Content-Type: application/json\r\nContent-Length: ").getBytes(StandardCharsets.US_ASCII);
    }

    /** POSTs {@code body} on an idle connection (a new one when none is idle) and reads the answer. */
    Answer post(byte[] body) throws IOException {
        Connection connection = idle.poll();
        if (connection == null) {
            connection = new Connection(address);
            all.add(connection);
        }
        Answer answer = connection.post(head, body);
        idle.add(connection);
        return answer;
    }

    @Override
    public void close() {
        all.forEach(Connection::close);
    }

    private static final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private byte[] request = new byte[1024];
        private final byte[] buffer = new byte[16 * 1024];
        private int position;
        private int limit;

        Connection(InetSocketAddress address) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        }

        Answer post(byte[] head, byte[] body) throws IOException {
            byte[] length = Integer.toString(body.length).getBytes(StandardCharsets.US_ASCII);
            int size = head.length + length.length + 4 + body.length;
            if (request.length < size) {
                request = new byte[Math.max(size, request.length * 2)];
            }
            int at = 0;
            System.arraycopy(head, 0, request, at, head.length);
            at += head.length;
            System.arraycopy(length, 0, request, at, length.length);
            at += length.length;
            request[at++] = '\r';
            request[at++] = '\n';
            request[at++] = '\r';
            request[at++] = '\n';
            System.arraycopy(body, 0, request, at, body.length);
            out.write(request, 0, size);
            out.flush();
            return read();
        }

        /** The status line, the headers (only Content-Length is read), then exactly Content-Length bytes. */
        private Answer read() throws IOException {
            String status = line();
            if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
                throw new IOException("not an HTTP/1.1 answer: " + status);
            }
            int code = Integer.parseInt(status, 9, 12, 10);
            int length = -1;
            for (String header = line(); !header.isEmpty(); header = line()) {
                if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
            }
            if (length < 0) {
                throw new IOException("an answer without Content-Length (status " + code + ")");
            }
            byte[] body = new byte[length];
            int buffered = Math.min(length, limit - position);
            System.arraycopy(buffer, position, body, 0, buffered);
            position += buffered;
            for (int at = buffered; at < length; ) {
                int read = in.read(body, at, length - at);
                if (read < 0) {
                    throw new IOException("the server closed the connection");
                }
                at += read;
            }
            return new Answer(code, body);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            while (true) {
                if (position == limit) {
                    limit = in.read(buffer, 0, buffer.length);
                    position = 0;
                    if (limit < 0) {
                        limit = 0;
                        throw new IOException("the server closed the connection");
                    }
                }
                int b = buffer[position++];
                if (b == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append((char) b);
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing at the end of a benchmark: nothing to do
            }
        }
    }
}
