package io.joinery.it;

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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Permission filters with bare values, {@code {author_id: x-joinery-user-id}} for
 * {@code {author_id: {_eq: x-joinery-user-id}}} as Hasura reads them (Note [Bare values are _eq]):
 * each role sees exactly the rows the same condition selects in SQL, for each user.
 */
class BareValueFilterTest {

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("bare_values", "/it/schema.sql", "/it/metadata-bare-values.yaml");

    @Test
    void aRoleWhoseFilterIsABareSessionVariableSeesOnlyItsRows() {
        for (long user : authors()) {
            List<Long> own = ids("SELECT id FROM article WHERE author_id = " + user + " ORDER BY id");
            assertEquals(own, ids(as("writer", user).query("{ article(order_by: {id: asc}) { id } }"), "article"), "user " + user);
        }
        assertFalse(ids("SELECT id FROM article WHERE author_id = " + authors().getFirst()).isEmpty(), "the dataset has articles to see");
    }

    @Test
    void bareValuesThroughARelationship() {
        for (long user : authors()) {
            assertEquals(ids("SELECT c.id FROM comment c JOIN article a ON a.id = c.article_id WHERE a.author_id = " + user
                            + " AND a.published ORDER BY c.id"),
                    ids(as("fan", user).query("{ comment(order_by: {id: asc}) { id } }"), "comment"), "user " + user);
        }
    }

    @Test
    void bareValuesInsideExistsWhere() {
        for (long user : authors()) {
            boolean published = !ids("SELECT id FROM article WHERE author_id = " + user + " AND published").isEmpty();
            List<Long> seen = ids(as("member", user).query("{ author(order_by: {id: asc}) { id } }"), "author");
            assertEquals(published ? authors() : List.of(), seen, "user " + user);
        }
    }

    private static List<Long> authors() {
        return ids("SELECT id FROM author ORDER BY id");
    }

    private static GraphqlClient as(String role, long user) {
        return served.sidecar().client().withHeaders(Map.of("x-joinery-role", role, "x-joinery-user-id", String.valueOf(user)));
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
