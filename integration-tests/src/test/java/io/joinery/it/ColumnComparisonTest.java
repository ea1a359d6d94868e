package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.SidecarOnDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hasura's column comparison operators in permission filters ({@code _ceq}, {@code _cne},
 * {@code _cgt}, {@code _cgte}, …): against a column of the same row, and with {@code ["$", column]}
 * against the row the permission is for, from inside a relationship. Each role sees exactly the rows
 * the same condition selects in SQL.
 */
class ColumnComparisonTest {

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("column_comparisons", "/it/schema.sql", "/it/metadata-column-comparisons.yaml");

    @Test
    void aColumnOfTheSameRow() {
        assertEquals(ids("SELECT id FROM comment WHERE id > article_id ORDER BY id"), ids(as("later").query("{ comment(order_by: {id: asc}) { id } }"), "comment"));
        assertEquals(ids("SELECT id FROM article WHERE rating >= id ORDER BY id"), ids(as("reviewer").query("{ article(order_by: {id: asc}) { id } }"), "article"));
    }

    @Test
    void theRowThePermissionIsForFromInsideARelationship() {
        List<Long> own = ids("SELECT c.id FROM comment c JOIN article a ON a.id = c.article_id WHERE a.author_id = c.author_id ORDER BY c.id");
        List<Long> notOwn = ids("SELECT c.id FROM comment c JOIN article a ON a.id = c.article_id WHERE a.author_id <> c.author_id ORDER BY c.id");
        assertTrue(!own.isEmpty() && !notOwn.isEmpty(), "the dataset has both kinds: " + own.size() + " / " + notOwn.size());
        assertEquals(own, ids(as("own").query("{ comment(order_by: {id: asc}) { id } }"), "comment"));
        assertEquals(notOwn, ids(as("not_own").query("{ comment(order_by: {id: asc}) { id } }"), "comment"));
        assertEquals(ids("SELECT DISTINCT a.id FROM article a JOIN comment c ON c.article_id = a.id WHERE c.author_id = a.author_id ORDER BY a.id"),
                ids(as("own").query("{ article(order_by: {id: asc}) { id } }"), "article"), "[\"$\", author_id] is the article's through an array relationship");
    }

    @Test
    void aUserFilterAndTheNestedPermissionEachKeepTheirOwnRoot() {
        GraphqlResponse response = as("own").query("""
                { article(order_by: {id: asc}, limit: 3) { id author_id comments(order_by: {id: asc}) { id author_id article_id } } }""");
        assertTrue(response.errors().isMissingNode(), response.toString());
        for (JsonNode article : response.data().path("article")) {
            List<Long> expected = ids("SELECT c.id FROM comment c WHERE c.article_id = " + article.path("id").asLong()
                    + " AND c.author_id = " + article.path("author_id").asLong() + " ORDER BY c.id");
            List<Long> got = new ArrayList<>();
            article.path("comments").forEach(comment -> got.add(comment.path("id").asLong()));
            assertEquals(expected, got, "comments of article " + article.path("id") + " pass their own permission: " + response);
        }
    }

    private static GraphqlClient as(String role) {
        return served.sidecar().client().withHeaders(Map.of("x-joinery-role", role));
    }

    private static List<Long> ids(GraphqlResponse response, String field) {
        assertTrue(response.errors().isMissingNode(), response.toString());
        List<Long> ids = new ArrayList<>();
        response.data().path(field).forEach(row -> ids.add(row.path("id").asLong()));
        return ids;
    }

    /** The first column of every row of {@code sql}, straight from Postgres. */
    private static List<Long> ids(String sql) {
        List<Long> ids = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(served.database().jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
        return ids;
    }
}
