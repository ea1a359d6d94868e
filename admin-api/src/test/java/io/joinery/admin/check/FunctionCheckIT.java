package io.joinery.admin.check;

import io.joinery.admin.SchemaDatabase;
import io.joinery.admin.catalog.CatalogReader;
import io.joinery.admin.catalog.FunctionInfo;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.RootFieldNames;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.admin.metadata.TrackedFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tracked functions against a real Postgres: {@link CatalogReader} reads the functions a source
 * tracks, and the consistency checks hold each to Hasura's rules for a query root field function.
 */
class FunctionCheckIT {

    static final String SCHEMA = """
            CREATE TABLE article (id int PRIMARY KEY, title text NOT NULL);
            CREATE TABLE untracked (id int);
            CREATE FUNCTION search_articles(search text) RETURNS SETOF article STABLE LANGUAGE sql
              AS $$ SELECT * FROM article WHERE title ILIKE '%' || search || '%' $$;
            CREATE FUNCTION recent(since int DEFAULT 0, s json DEFAULT NULL) RETURNS SETOF article IMMUTABLE LANGUAGE sql
              AS $$ SELECT * FROM article WHERE id >= since $$;
            CREATE FUNCTION touch_articles() RETURNS SETOF article VOLATILE LANGUAGE sql AS $$ SELECT * FROM article $$;
            CREATE FUNCTION overloaded() RETURNS SETOF article STABLE LANGUAGE sql AS $$ SELECT * FROM article $$;
            CREATE FUNCTION overloaded(n int) RETURNS SETOF article STABLE LANGUAGE sql AS $$ SELECT * FROM article $$;
            CREATE FUNCTION untracked_rows() RETURNS SETOF untracked STABLE LANGUAGE sql AS $$ SELECT * FROM untracked $$;
            CREATE FUNCTION one_article() RETURNS article STABLE LANGUAGE sql AS $$ SELECT * FROM article LIMIT 1 $$;
            CREATE FUNCTION a_number() RETURNS SETOF int STABLE LANGUAGE sql AS $$ SELECT 1 $$;
            CREATE FUNCTION unnamed(text) RETURNS SETOF article STABLE LANGUAGE sql AS $$ SELECT * FROM article $$;
            CREATE FUNCTION text_session(s text) RETURNS SETOF article STABLE LANGUAGE sql AS $$ SELECT * FROM article $$;
            """;

    @RegisterExtension
    static final SchemaDatabase schema = new SchemaDatabase(SCHEMA);

    @Test
    void readsTheTrackedFunctions() {
        var catalog = CatalogReader.read(schema.db().pool(), source(new TrackedFunction("recent", null, "s")));
        FunctionInfo recent = catalog.functions(QualifiedName.parse("recent")).getFirst();
        assertEquals(List.of(new FunctionInfo.Argument("since", new QualifiedName("pg_catalog", "int4"), false, true),
                new FunctionInfo.Argument("s", new QualifiedName("pg_catalog", "json"), false, true)), recent.arguments());
        assertTrue(recent.returnsSet() && recent.returnsRow() && recent.returnType().equals(QualifiedName.parse("article")), recent.toString());
    }

    @Test
    void usableFunctionsHaveNoProblems() {
        Source source = source(new TrackedFunction("search_articles", null, null),
                new TrackedFunction("public.recent", "recentArticles", "s"));
        assertEquals(List.of(), schema.checker().check(new Metadata(1, List.of(source))).problems());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing         |   | the function does not exist (or has OUT arguments)
            overloaded      |   | the function is overloaded; a tracked function needs exactly one
            touch_articles  |   | the function is VOLATILE: Hasura serves such a function as a mutation, which Joinery does not support; declare it STABLE or IMMUTABLE
            untracked_rows  |   | it returns SETOF untracked; a tracked function returns SETOF a table tracked in source default
            one_article     |   | it returns article; a tracked function returns SETOF a table tracked in source default
            a_number        |   | it returns SETOF pg_catalog.int4; a tracked function returns SETOF a table tracked in source default
            unnamed         |   | an argument has no name, so it cannot be one of the field's args
            text_session    | s | its session argument 's' is of type pg_catalog.text, not json or jsonb
            search_articles | s | the function has no argument 's'
            """)
    void eachRuleIsAProblemOfTheFunction(String function, String sessionArgument, String reason) {
        Source source = source(new TrackedFunction(function, null, sessionArgument));
        assertEquals(List.of(new Problem("function " + function, "function " + function, reason)),
                schema.checker().check(new Metadata(1, List.of(source))).problems());
    }

    @Test
    void theRootFieldMayNotBeAnotherRootFieldsName() {
        TableConfig renamed = new TableConfig("article", null, new RootFieldNames("articles", null, null), null, null, null);
        Source source = new Source(Source.DEFAULT, null, false, List.of(renamed), List.of(
                new TrackedFunction("search_articles", "articles", null),
                new TrackedFunction("recent", "article_aggregate", null),
                new TrackedFunction("search_articles", "found", null),
                new TrackedFunction("recent", "found", null),
                new TrackedFunction("recent", "not-a-name", null),
                new TrackedFunction("search_articles", "article", null)));
        assertEquals(List.of(
                new Problem("function search_articles", "root field articles", "the query root field is already table article's"),
                new Problem("function recent", "root field article_aggregate", "the query root field is already table article's"),
                new Problem("function recent", "root field found", "the query root field is already function search_articles's"),
                new Problem("function recent", "root field not-a-name", "not a valid GraphQL name; give the function a 'name'"),
                new Problem("function search_articles", "root field article_aggregate", "the query root field is already table article's")),
                schema.checker().check(new Metadata(1, List.of(source))).problems());
    }

    @Test
    void aChangeThatBreaksAFunctionIsRefusedAtWriteTime() {
        Metadata current = new Metadata(1, List.of(source()));
        Metadata next = new Metadata(1, List.of(source(new TrackedFunction("touch_articles", null, null))));
        assertEquals(1, schema.checker().newProblems(current, next).size(), schema.checker().newProblems(current, next).toString());
    }

    private static Source source(TrackedFunction... functions) {
        return new Source(Source.DEFAULT, null, false, List.of(TableConfig.of("article")), List.of(functions));
    }
}
