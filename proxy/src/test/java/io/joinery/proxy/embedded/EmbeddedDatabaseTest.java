package io.joinery.proxy.embedded;

import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.Source;
import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedDatabaseTest {

    @Test
    void demoMetadataTracksTheDemoTablesWithTheirRelationships() {
        Source source = EmbeddedDatabase.demoMetadata().source(Source.DEFAULT).orElseThrow();

        assertEquals(List.of("author", "article", "comment"), source.tables().stream().map(t -> t.table()).toList());
        Relationship author = source.table(QualifiedName.parse("article")).orElseThrow().relationships().get("author");
        assertEquals(Relationship.object("author", Map.of("author_id", "id")), author, "article.author");
        Relationship articles = source.table(QualifiedName.parse("author")).orElseThrow().relationships().get("articles");
        assertEquals(Relationship.array("article", Map.of("id", "author_id")), articles, "author.articles");
    }

    @Test
    void demoSchemaLoadsTwiceWithTheSameRows() throws SQLException {
        String server = System.getenv("JOINERY_TEST_DATABASE_URL");
        if (server == null) {
            try (EmbeddedDatabase db = EmbeddedDatabase.start(null)) {
                db.loadDemo();
                db.loadDemo();
                assertDemoCounts(db.jdbcUrl());
            }
            return;
        }
        String admin = jdbcUrl(server, null);
        String database = "demo_" + UUID.randomUUID().toString().substring(0, 8);
        update(admin, "CREATE DATABASE " + database);
        try {
            EmbeddedDatabase.execute(jdbcUrl(server, database), EmbeddedDatabase.demoSchema());
            EmbeddedDatabase.execute(jdbcUrl(server, database), EmbeddedDatabase.demoSchema());
            assertDemoCounts(jdbcUrl(server, database));
        } finally {
            update(admin, "DROP DATABASE " + database + " WITH (FORCE)");
        }
    }

    @Test
    void keepsItsClusterInTheDataDirectoryAcrossStarts(@TempDir Path data) throws SQLException {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data)) {
            PgConnectOptions options = PgConnectOptions.fromUri(db.url());
            assertEquals(List.of("127.0.0.1", db.port(), "postgres", "postgres"),
                    List.of(options.getHost(), options.getPort(), options.getUser(), options.getDatabase()), "options from " + db.url());
            update(db.jdbcUrl(), "CREATE TABLE survivor (id int)");
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data)) {
            assertEquals(0, queryLong(db.jdbcUrl(), "SELECT count(*) FROM survivor"), "table created before the restart");
            assertTrue(db.startTime().toMillis() > 0, "start time is measured");
        }
    }

    private static void assertDemoCounts(String jdbcUrl) throws SQLException {
        assertEquals(5, queryLong(jdbcUrl, "SELECT count(*) FROM author"), "authors");
        assertEquals(12, queryLong(jdbcUrl, "SELECT count(*) FROM article"), "articles");
        assertEquals(25, queryLong(jdbcUrl, "SELECT count(*) FROM comment"), "comments");
        assertEquals(6, queryLong(jdbcUrl, "SELECT nextval('author_id_seq')"), "the next author id follows the loaded ones");
    }

    /** {@code postgres://user[:password]@host[:port]/db} as a JDBC URL, for {@code database} if not null. */
    private static String jdbcUrl(String url, String database) {
        URI uri = URI.create(url);
        String[] user = uri.getRawUserInfo() == null ? new String[0] : uri.getRawUserInfo().split(":", 2);
        String path = database != null ? "/" + database : uri.getRawPath();
        return "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + path
                + (user.length > 0 ? "?user=" + user[0] : "") + (user.length > 1 ? "&password=" + user[1] : "");
    }

    private static void update(String jdbcUrl, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long queryLong(String jdbcUrl, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            assertTrue(rows.next(), "a row from " + sql);
            return rows.getLong(1);
        }
    }
}
