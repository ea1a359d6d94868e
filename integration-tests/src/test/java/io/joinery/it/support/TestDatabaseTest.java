package io.joinery.it.support;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestDatabaseTest {

    @Test
    void twoDatabasesSeeOnlyTheirOwnData() {
        try (TestDatabase first = TestDatabase.create("isolation"); TestDatabase second = TestDatabase.create("isolation")) {
            first.execute("CREATE TABLE note (id int); INSERT INTO note VALUES (1);");
            second.execute("CREATE TABLE note (id int); INSERT INTO note VALUES (1), (2), (3);");

            assertNotEquals(first.name(), second.name(), "database names");
            assertEquals(1, first.queryLong("SELECT count(*) FROM note"), "rows in " + first);
            assertEquals(3, second.queryLong("SELECT count(*) FROM note"), "rows in " + second);
        }
    }

    @Test
    void closeDropsTheDatabase() {
        TestDatabase database = TestDatabase.create("dropped");
        String exists = "SELECT count(*) FROM pg_database WHERE datname = '" + database.name() + "'";
        assertEquals(1, TestPostgres.server().queryLong(exists), database + " after create");

        database.close();

        assertEquals(0, TestPostgres.server().queryLong(exists), database + " after close");
    }

    @Test
    void aFailingScriptLeavesNothingBehind() {
        try (TestDatabase database = TestDatabase.create("atomic")) {
            assertThrows(IllegalStateException.class, () -> database.execute("CREATE TABLE half (id int); SELECT 1/0;"));
            assertEquals(0, database.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'half'"), "table of the failed script");
        }
    }

    @Test
    void loadsTheIntegrationSchema() {
        try (TestDatabase database = TestDatabase.create("schema").load("/it/schema.sql")) {
            assertEquals(10, database.queryLong("SELECT count(*) FROM author"), "authors");
            assertEquals(30, database.queryLong("SELECT count(*) FROM article"), "articles");
            assertEquals(60, database.queryLong("SELECT count(*) FROM comment"), "comments");
            assertEquals(0, database.queryLong("SELECT count(*) FROM article WHERE author_id = 10"), "articles of author 10");
            assertEquals(0, database.queryLong("SELECT count(*) FROM comment WHERE article_id = 30"), "comments on article 30");
            assertEquals(4, database.queryLong("SELECT count(*) FROM article WHERE rating IS NULL"), "articles without rating");
            assertEquals(5, database.queryLong("SELECT count(DISTINCT rating) FROM article"), "distinct ratings");
            assertEquals(3, database.queryLong("SELECT count(*) FROM all_types"), "all_types rows");
            assertEquals(21, database.queryLong("SELECT num_nulls(c_smallint, c_integer, c_bigint, c_numeric, c_real, c_double, "
                    + "c_text, c_varchar, c_char, c_boolean, c_uuid, c_date, c_time, c_timetz, c_timestamp, c_timestamptz, c_json, "
                    + "c_jsonb, c_int_array, c_text_array, c_mood) FROM all_types WHERE id = 3"), "NULL columns of all_types row 3");
            assertEquals(2, database.queryLong("SELECT count(*) FROM odd_columns WHERE ok IS NOT NULL"), "odd_columns rows");
            assertEquals(11, database.queryLong("SELECT nextval('author_id_seq')"), "next author id");
        }
    }

    @Test
    void urlsNameTheDatabaseInBothForms() {
        try (TestDatabase database = TestDatabase.create("urls")) {
            assertTrue(database.url().startsWith("postgres://") && database.url().contains("/" + database.name()), database.url());
            assertTrue(database.jdbcUrl().startsWith("jdbc:postgresql://") && database.jdbcUrl().contains("/" + database.name() + "?"),
                    database.jdbcUrl());
        }
    }
}
