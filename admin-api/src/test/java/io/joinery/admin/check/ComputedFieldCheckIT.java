package io.joinery.admin.check;

import io.joinery.admin.SchemaDatabase;
import io.joinery.admin.catalog.CatalogReader;
import io.joinery.admin.catalog.FunctionInfo;
import io.joinery.admin.metadata.ComputedField;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.RolePermissions;
import io.joinery.admin.metadata.SelectPermission;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Computed fields against a real Postgres: {@link CatalogReader} reads the functions a source's
 * computed fields name, and the consistency checks hold each to Hasura's rules for one.
 */
class ComputedFieldCheckIT {

    static final String SCHEMA = """
            CREATE TABLE author (id int PRIMARY KEY, name text NOT NULL);
            CREATE TABLE article (id int PRIMARY KEY, author_id int NOT NULL);
            CREATE TABLE untracked (id int);
            CREATE FUNCTION full_name(a author) RETURNS text STABLE LANGUAGE sql AS $$ SELECT a.name $$;
            CREATE FUNCTION second_row(x int, a author) RETURNS text STABLE LANGUAGE sql AS $$ SELECT a.name $$;
            CREATE FUNCTION articles_since(a author, since int DEFAULT 0) RETURNS SETOF article STABLE LANGUAGE sql
              AS $$ SELECT * FROM article WHERE author_id = a.id AND id >= since $$;
            CREATE FUNCTION with_session(a author, s jsonb) RETURNS text STABLE LANGUAGE sql AS $$ SELECT s ->> 'x-joinery-role' $$;
            CREATE FUNCTION with_text_session(a author, s text) RETURNS text STABLE LANGUAGE sql AS $$ SELECT s $$;
            CREATE FUNCTION volatile_name(a author) RETURNS text VOLATILE LANGUAGE sql AS $$ SELECT a.name $$;
            CREATE FUNCTION of_article(a article) RETURNS text STABLE LANGUAGE sql AS $$ SELECT 'x' $$;
            CREATE FUNCTION untracked_rows(a author) RETURNS SETOF untracked STABLE LANGUAGE sql AS $$ SELECT * FROM untracked $$;
            CREATE FUNCTION a_row(a author) RETURNS author STABLE LANGUAGE sql AS $$ SELECT a $$;
            CREATE FUNCTION overloaded(a author) RETURNS text STABLE LANGUAGE sql AS $$ SELECT 'x' $$;
            CREATE FUNCTION overloaded(a author, b int) RETURNS text STABLE LANGUAGE sql AS $$ SELECT 'x' $$;
            """;

    @RegisterExtension
    static final SchemaDatabase schema = new SchemaDatabase(SCHEMA);

    @Test
    void readsTheNamedFunctionsWithArgumentsReturnTypeAndVolatility() {
        Source source = source(author(Map.of("since", ComputedField.of("articles_since"), "v", ComputedField.of("volatile_name"))));
        var catalog = CatalogReader.read(schema.db().pool(), source);
        FunctionInfo since = catalog.functions(QualifiedName.parse("articles_since")).getFirst();
        assertEquals(List.of(new FunctionInfo.Argument("a", QualifiedName.parse("author"), true, false),
                new FunctionInfo.Argument("since", new QualifiedName("pg_catalog", "int4"), false, true)), since.arguments());
        assertTrue(since.returnsSet() && since.returnsRow() && since.returnType().equals(QualifiedName.parse("article")), since.toString());
        assertEquals("STABLE", since.volatilityName());
        assertEquals("VOLATILE", catalog.functions(QualifiedName.parse("volatile_name")).getFirst().volatilityName());
        assertEquals(List.of(), catalog.functions(QualifiedName.parse("full_name")), "only the functions the document names are read");
    }

    @Test
    void usableComputedFieldsHaveNoProblems() {
        Source source = source(author(Map.of(
                "full_name", ComputedField.of("full_name"),
                "by_second", new ComputedField("second_row", "a", null, null),
                "articles", ComputedField.of("public.articles_since"),
                "role", new ComputedField("with_session", null, "s", "the role"))));
        assertEquals(List.of(), schema.checker().check(new Metadata(1, List.of(source))).problems());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing             |                   |   | function missing             | the function does not exist (or has OUT arguments)
            overloaded          |                   |   | function overloaded          | the function is overloaded; a computed field needs exactly one
            volatile_name       |                   |   | function volatile_name       | the function is VOLATILE; a computed field needs a STABLE or IMMUTABLE one
            of_article          |                   |   | function of_article          | its table argument 'a' is of type article, not the row type of table author
            second_row          |                   |   | function second_row          | its table argument 'x' is of type pg_catalog.int4, not the row type of table author
            full_name           | b                 |   | function full_name           | the function has no argument 'b'
            with_text_session   |                   | s | function with_text_session   | its session argument 's' is of type pg_catalog.text, not json or jsonb
            with_session        |                   | t | function with_session        | the function has no argument 't'
            untracked_rows      |                   |   | function untracked_rows      | it returns SETOF untracked, which is not a tracked table
            a_row               |                   |   | function a_row               | it returns author; a computed field returns a base type or SETOF a tracked table
            """)
    void eachRuleIsAProblemOfTheComputedField(String function, String tableArgument, String sessionArgument, String dependency, String reason) {
        Source source = source(author(Map.of("field", new ComputedField(function, tableArgument, sessionArgument, null))));
        assertEquals(List.of(new Problem("table author, computed field field", dependency, reason)),
                schema.checker().check(new Metadata(1, List.of(source))).problems());
    }

    @Test
    void theNameMayNotBeAColumnsOrARelationships() {
        TableConfig withRelationship = new TableConfig("author", null, null, null,
                Map.of("articles", Relationship.array("article", Map.of("id", "author_id"))), null, null, false,
                Map.of("name", ComputedField.of("full_name"), "articles", ComputedField.of("full_name")));
        List<Problem> problems = schema.checker().check(new Metadata(1, List.of(source(withRelationship)))).problems();
        assertTrue(problems.contains(new Problem("table author, computed field name", "column author.name",
                "the computed field has the same name as a column of its table")), problems.toString());
        assertTrue(problems.contains(new Problem("table author, computed field articles", "relationship author.articles",
                "the computed field has the same name as a relationship of its table")), problems.toString());
    }

    @Test
    void aSelectPermissionMayListOnlyExistingComputedFields() {
        TableConfig author = new TableConfig("author", null, null, null, null,
                Map.of("user", new RolePermissions(new SelectPermission(List.of("id"), null, null, false, List.of("full_name", "nope")))),
                null, false, Map.of("full_name", ComputedField.of("full_name")));
        assertEquals(List.of(new Problem("table author, select permission user", "computed field author.nope",
                "the permitted computed field does not exist")), schema.checker().check(new Metadata(1, List.of(source(author)))).problems());
    }

    @Test
    void aPermissionFilterMayUseComputedFieldsWithoutArgumentsAsHasuraDoes() throws Exception {
        com.fasterxml.jackson.databind.JsonNode filter = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"_and": [{"full_name": {"_like": "A%"}}, {"role": {"_eq": "x-joinery-role"}},
                          {"since": {"id": {"_gt": 1}}}, {"full_name": {"_has_key": "a"}}, {"role": {"_ceq": "name"}}]}""");
        TableConfig author = new TableConfig("author", null, null, null, null,
                Map.of("user", new RolePermissions(new SelectPermission(List.of("id"), filter, null, false, List.of()))), null, false,
                Map.of("full_name", ComputedField.of("full_name"), "role", new ComputedField("with_session", null, "s", null),
                        "since", ComputedField.of("articles_since")));
        assertEquals(List.of(
                new Problem("table author, select permission user", "column author.since",
                        "a computed field whose function takes arguments besides the row and the session cannot be in a filter (filter at $._and[2].since)"),
                new Problem("table author, select permission user", "column author.full_name",
                        "_has_key applies to jsonb columns, not text (filter at $._and[3].full_name._has_key)"),
                new Problem("table author, select permission user", "column author.role",
                        "_ceq compares columns, not computed fields (filter at $._and[4].role._ceq)")),
                schema.checker().check(new Metadata(1, List.of(source(author)))).problems());
    }

    @Test
    void aChangeThatBreaksAComputedFieldIsRefusedAtWriteTime() {
        Metadata current = new Metadata(1, List.of(source(author(Map.of()))));
        Metadata next = new Metadata(1, List.of(source(author(Map.of("v", ComputedField.of("volatile_name"))))));
        assertEquals(1, schema.checker().newProblems(current, next).size(), schema.checker().newProblems(current, next).toString());
    }

    private static TableConfig author(Map<String, ComputedField> computed) {
        return new TableConfig("author", null, null, null, null, null, null, false, computed);
    }

    private static Source source(TableConfig author) {
        return new Source(Source.DEFAULT, null, false, List.of(author, TableConfig.of("article")));
    }
}
