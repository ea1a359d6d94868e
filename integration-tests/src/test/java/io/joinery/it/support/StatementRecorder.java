package io.joinery.it.support;

import io.joinery.proxy.execute.Database;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A TCP proxy in front of Postgres that records every statement its clients have Postgres execute, read
 * from the frontend/backend protocol: a simple query ({@code Q}) or an extended-protocol execute
 * ({@code E}, traced back through its portal's {@code B}ind to the {@code P}arse that named the statement).
 * It also counts parses, so a test can see a prepared statement reused, and keeps each execution's bind
 * values ({@link #executions()}), decoded as the sidecar sends them: text, or a text array.
 *
 * <p>Point a sidecar at {@link #url(String)} instead of the database, then compare {@link #executed()}
 * before and after a request. The statement is recorded when its message arrives, before it is
 * forwarded, so it is in the log before any answer to it exists. Counting at the wire needs nothing
 * from the server (pg_stat_statements is rarely preloaded; pg_stat_database is flushed lazily) and
 * works the same on a local and an embedded Postgres.
 *
 * <p>A new connection's session defaults (Note [Plans for data in memory] in {@code execute.Database})
 * are its setup, not a request's statement: they are neither counted nor recorded
 * ({@code SessionDefaultsTest} checks what they do).
 */
public final class StatementRecorder implements AutoCloseable {

    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;
    private static final int CANCEL_REQUEST = 80877102;

    private final URI target;
    private final ServerSocket server;
    private final List<String> executed = new ArrayList<>();
    private final List<Execution> executions = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final boolean dropNotifications;
    private int parses;

    private StatementRecorder(URI target, boolean dropNotifications) throws IOException {
        this.target = target;
        this.dropNotifications = dropNotifications;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("statement-recorder").start(this::accept);
    }

    /** A recorder forwarding to the server of {@code databaseUrl} ({@code postgres://user@host:port/db}). */
    public static StatementRecorder forward(String databaseUrl) {
        try {
            return new StatementRecorder(URI.create(databaseUrl), false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
    }

    /**
     * A recorder that never hands its clients Postgres' notifications ({@code NotificationResponse}),
     * as a pooler in transaction mode loses them: a {@code LISTEN} through it succeeds, and nothing
     * arrives. For clients that do not ask for TLS (the backend's one-byte answer to that is not framed).
     */
    public static StatementRecorder withoutNotifications(String databaseUrl) {
        try {
            return new StatementRecorder(URI.create(databaseUrl), true);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
    }

    /** {@code databaseUrl} with the recorder's port in place of the server's. */
    public String url(String databaseUrl) {
        URI uri = URI.create(databaseUrl);
        String userInfo = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
        return uri.getScheme() + "://" + userInfo + "127.0.0.1:" + server.getLocalPort() + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /** The texts of the statements executed so far, in order. */
    public synchronized List<String> executed() {
        return List.copyOf(executed);
    }

    /** The statements executed since {@code executed().size()} was {@code from}. */
    public synchronized List<String> executedSince(int from) {
        return List.copyOf(executed.subList(from, executed.size()));
    }

    /** The statements executed so far with their bind values, in order. */
    public synchronized List<Execution> executions() {
        return List.copyOf(executions);
    }

    /** How many statements clients have had Postgres parse (prepare) so far. */
    public synchronized int parses() {
        return parses;
    }

    private synchronized void recordExecute(String sql, List<String> params) {
        executed.add(sql);
        executions.add(new Execution(sql, params));
    }

    private synchronized void recordParse() {
        parses++;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getHost(), target.getPort() < 0 ? 5432 : target.getPort());
                synchronized (this) {
                    sockets.add(client);
                    sockets.add(upstream);
                }
                Thread.ofPlatform().daemon().start(() -> {
                    if (dropNotifications) {
                        pipeWithoutNotifications(upstream, client);
                    } else {
                        pipe(upstream, client);
                    }
                });
                Thread.ofPlatform().daemon().start(() -> readFrontend(client, upstream));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    throw new IllegalStateException("statement recorder failed to accept", e);
                }
            }
        }
    }

    /** Backend to client: copied as it is. */
    private static void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // a closed connection ends the copy
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Backend to client, message by message, leaving out notifications ({@code A}). */
    private static void pipeWithoutNotifications(Socket from, Socket to) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(from.getInputStream()));
             OutputStream out = new BufferedOutputStream(to.getOutputStream())) {
            while (true) {
                int type = in.read();
                if (type == -1) {
                    return;
                }
                int length = in.readInt();
                byte[] payload = new byte[length - 4];
                in.readFully(payload);
                if (type != 'A') {
                    writeMessage(out, type, payload);
                }
                if (in.available() == 0) {
                    out.flush();
                }
            }
        } catch (IOException ignored) {
            // a closed connection ends the copy
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Client to backend: message by message, recording executions, forwarding each unchanged. */
    private void readFrontend(Socket client, Socket upstream) {
        Map<String, String> statements = new HashMap<>();
        Map<String, String> portals = new HashMap<>();
        Map<String, List<String>> bound = new HashMap<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(client.getInputStream()));
             OutputStream out = new BufferedOutputStream(upstream.getOutputStream())) {
            boolean startup = true;
            while (true) {
                int type = startup ? -1 : in.read();
                if (type == -1 && !startup) {
                    return;
                }
                int length = in.readInt();
                byte[] payload = new byte[length - 4];
                in.readFully(payload);
                if (startup) {
                    int code = payload.length >= 4 ? ((payload[0] & 0xff) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8) | (payload[3] & 0xff) : 0;
                    startup = code == SSL_REQUEST || code == GSS_REQUEST || code == CANCEL_REQUEST;
                } else {
                    observe((char) type, payload, statements, portals, bound);
                }
                writeMessage(out, type, payload);
                if (in.available() == 0) {
                    out.flush();
                }
            }
        } catch (EOFException ignored) {
            // the client hung up
        } catch (IOException ignored) {
            // a closed connection ends the copy
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    /** One protocol message: its type (-1: none, a startup message), its length, its payload. */
    private static void writeMessage(OutputStream out, int type, byte[] payload) throws IOException {
        if (type >= 0) {
            out.write(type);
        }
        int length = payload.length + 4;
        out.write(new byte[]{(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
        out.write(payload);
    }

    private void observe(char type, byte[] payload, Map<String, String> statements, Map<String, String> portals,
                         Map<String, List<String>> bound) {
        switch (type) {
            case 'Q' -> recordExecute(cString(payload, 0), List.of());
            case 'P' -> {
                String name = cString(payload, 0);
                String sql = cString(payload, name.getBytes(StandardCharsets.UTF_8).length + 1);
                statements.put(name, sql);
                if (!sql.equals(Database.SESSION_DEFAULTS)) {
                    recordParse();
                }
            }
            case 'B' -> {
                String portal = cString(payload, 0);
                int at = portal.getBytes(StandardCharsets.UTF_8).length + 1;
                String statement = cString(payload, at);
                portals.put(portal, statement);
                bound.put(portal, BindValues.decode(payload, at + statement.getBytes(StandardCharsets.UTF_8).length + 1));
            }
            case 'E' -> {
                String portalName = cString(payload, 0);
                String statement = portals.get(portalName);
                String sql = statement == null ? "<unknown portal>" : statements.getOrDefault(statement, "<unknown statement " + statement + ">");
                if (!sql.equals(Database.SESSION_DEFAULTS)) {
                    recordExecute(sql, bound.getOrDefault(portalName, List.of()));
                }
            }
            default -> {
                // Describe, Sync, Flush, Close, Terminate, ...: not executions
            }
        }
    }

    /**
     * One execution: the statement's text and its bind values, each written as JSON: a string, an array
     * of strings (a {@code text[]} parameter), or {@code null}.
     */
    public record Execution(String sql, List<String> params) {
        public Execution {
            params = List.copyOf(params);
        }
    }

    private static String cString(byte[] bytes, int from) {
        int end = from;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, from, end - from, StandardCharsets.UTF_8);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
        synchronized (this) {
            sockets.forEach(StatementRecorder::closeQuietly);
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
