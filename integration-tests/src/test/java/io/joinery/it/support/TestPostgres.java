package io.joinery.it.support;

import io.joinery.proxy.embedded.EmbeddedDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The PostgreSQL server the integration tests use, one per JVM: the one at {@code JOINERY_TEST_DATABASE_URL}
 * ({@code postgres://user[:password]@host[:port]/db}) when it is set, as CI does, else an embedded PostgreSQL
 * started on first use and stopped when the JVM exits. Tests rarely touch it directly: each test class takes a
 * fresh database from {@link TestDatabase#create(String)}.
 */
public final class TestPostgres {

    public static final String URL_VARIABLE = "JOINERY_TEST_DATABASE_URL";

    private static TestPostgres server;

    private final URI uri;
    private final boolean embedded;

    private TestPostgres(String url, boolean embedded) {
        this.uri = URI.create(url);
        this.embedded = embedded;
        if (uri.getHost() == null || uri.getRawPath() == null || uri.getRawPath().length() < 2) {
            throw new IllegalArgumentException("expected postgres://user@host:port/database, got " + url);
        }
    }

    /** The server, started on the first call when {@code JOINERY_TEST_DATABASE_URL} is unset. */
    public static synchronized TestPostgres server() {
        if (server == null) {
            String url = System.getenv(URL_VARIABLE);
            server = url == null || url.isBlank()
                    ? new TestPostgres(startEmbedded(), true)
                    : new TestPostgres(url, false);
        }
        return server;
    }

    /**
     * Starts an embedded server as {@link EmbeddedDatabase#start} does, except that it takes the first copy of the
     * PostgreSQL binaries on the class path. In a reactor build that packages {@code proxy} ({@code ./mvnw verify}
     * from the root, or {@code -am}), {@code joinery.jar}'s manifest {@code Class-Path} adds {@code proxy/target/libs},
     * so the binaries jar is on the class path twice, and zonky's own resolver refuses to start ("Duplicate embedded
     * postgres binaries").
     */
    private static String startEmbedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPgBinaryResolver(TestPostgres::firstBinaries).start();
            return "postgres://postgres@127.0.0.1:" + postgres.getPort() + "/postgres";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** {@code postgres-linux-x86_64.txz} and the like, from the first jar that has it. */
    private static InputStream firstBinaries(String system, String machine) throws IOException {
        String name = "postgres-" + system.toLowerCase(Locale.ROOT) + "-" + machine.toLowerCase(Locale.ROOT).replace("amd64", "x86_64") + ".txz";
        URL binaries = TestPostgres.class.getClassLoader().getResource(name);
        if (binaries == null) {
            throw new IllegalStateException("no embedded PostgreSQL binaries " + name + " on the class path");
        }
        return binaries.openStream();
    }

    /** Whether this JVM started the server itself (no {@code JOINERY_TEST_DATABASE_URL}). */
    public boolean embedded() {
        return embedded;
    }

    /** The server's own database, in the {@code postgres://} form the sidecar reads. */
    public String url() {
        return url(database());
    }

    /** Another database of the same server, in the {@code postgres://} form the sidecar reads. */
    public String url(String database) {
        String userInfo = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
        return "postgres://" + userInfo + uri.getHost() + ":" + port() + "/" + database + query("?");
    }

    public String jdbcUrl() {
        return jdbcUrl(database());
    }

    /** Another database of the same server, as a JDBC URL carrying user and password. */
    public String jdbcUrl(String database) {
        String[] user = uri.getRawUserInfo() == null ? new String[0] : uri.getRawUserInfo().split(":", 2);
        String credentials = (user.length > 0 ? "user=" + user[0] : "") + (user.length > 1 ? "&password=" + user[1] : "");
        String parameters = credentials.isEmpty() ? query("") : credentials + query("&");
        return "jdbc:postgresql://" + uri.getHost() + ":" + port() + "/" + database + (parameters.isEmpty() ? "" : "?" + parameters);
    }

    /** Runs one statement on the server's own database, outside a transaction (so {@code CREATE DATABASE} works). */
    public void execute(String sql) {
        execute(jdbcUrl(), sql);
    }

    public long queryLong(String sql) {
        return queryLong(jdbcUrl(), sql);
    }

    static void execute(String jdbcUrl, String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }

    static long queryLong(String jdbcUrl, String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            if (!rows.next()) {
                throw new IllegalStateException(sql + " returned no row");
            }
            long value = rows.getLong(1);
            if (rows.wasNull()) {
                throw new IllegalStateException(sql + " returned NULL");
            }
            return value;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }

    private String database() {
        return uri.getRawPath().substring(1);
    }

    private int port() {
        return uri.getPort() < 0 ? 5432 : uri.getPort();
    }

    private String query(String separator) {
        return uri.getRawQuery() == null ? "" : separator + uri.getRawQuery();
    }
}
