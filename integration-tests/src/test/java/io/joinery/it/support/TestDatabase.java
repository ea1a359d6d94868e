package io.joinery.it.support;

import io.joinery.proxy.embedded.EmbeddedDatabase;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A fresh, empty database on {@link TestPostgres#server()}, one per test class, dropped on {@link #close()}:
 *
 * <pre>{@code
 * static TestDatabase db;
 * @BeforeAll static void createDatabase() { db = TestDatabase.create("select_it").load("/it/schema.sql"); }
 * @AfterAll static void dropDatabase() { db.close(); }
 * }</pre>
 *
 * Its name is {@code <prefix>_<8 hex digits>}, so concurrent test JVMs on one server do not collide. Its
 * sessions use the time zone UTC.
 */
public final class TestDatabase implements AutoCloseable {

    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    private final TestPostgres server;
    private final String name;

    private TestDatabase(TestPostgres server, String name) {
        this.server = server;
        this.name = name;
    }

    /** Creates database {@code <prefix>_<random>}; {@code prefix} is lower case letters, digits and underscores. */
    public static TestDatabase create(String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("a database prefix is [a-z][a-z0-9_]{0,40}, got '" + prefix + "'");
        }
        String name = prefix + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        TestPostgres server = TestPostgres.server();
        server.execute("CREATE DATABASE " + name);
        // Sessions render timestamptz in their time zone: pin it, so answers do not depend on the machine.
        server.execute("ALTER DATABASE " + name + " SET TimeZone = 'UTC'");
        return new TestDatabase(server, name);
    }

    public String name() {
        return name;
    }

    /** {@code postgres://user@host:port/<name>}, for the sidecar's {@code JOINERY_DATABASE_URL}. */
    public String url() {
        return server.url(name);
    }

    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    /** Runs a script of several statements as one transaction (see {@link EmbeddedDatabase#execute(String, String)}). */
    public TestDatabase execute(String sqlScript) {
        EmbeddedDatabase.execute(jdbcUrl(), sqlScript);
        return this;
    }

    /** Runs a script from the test classpath, e.g. {@code /it/schema.sql} or {@code /bench/dataset.sql}. */
    public TestDatabase load(String resource) {
        try (InputStream in = TestDatabase.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource + " on the test classpath");
            }
            return execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first column of the first row, e.g. {@code select count(*) from author}; a missing row or NULL fails. */
    public long queryLong(String sql) {
        return TestPostgres.queryLong(jdbcUrl(), sql);
    }

    /** Drops the database, disconnecting whoever is still connected (a sidecar's pool, say). */
    @Override
    public void close() {
        server.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    @Override
    public String toString() {
        return name + " on " + server.url();
    }
}
