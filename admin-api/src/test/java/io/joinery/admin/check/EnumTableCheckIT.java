package io.joinery.admin.check;

import io.joinery.admin.SchemaDatabase;
import io.joinery.admin.catalog.CatalogReader;
import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.catalog.EnumValue;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Enum tables against a real Postgres: {@link CatalogReader} reads the rows of the tables a source
 * marks {@code is_enum}, and the consistency checks hold each table to Hasura's rules for one.
 */
class EnumTableCheckIT {

    static final String SCHEMA = """
            CREATE TABLE status (value text PRIMARY KEY, comment text);
            INSERT INTO status VALUES ('PUBLISHED', 'Visible to everyone'), ('DRAFT', NULL), ('_hidden', 'Not listed');
            CREATE TABLE "Odd ""name""\" ("the value" text PRIMARY KEY);
            INSERT INTO "Odd ""name""\" VALUES ('ONE');
            CREATE TABLE no_key (value text);
            INSERT INTO no_key VALUES ('A');
            CREATE TABLE two_keys (a text, b text, PRIMARY KEY (a, b));
            INSERT INTO two_keys VALUES ('A', 'B');
            CREATE TABLE numbered (id int PRIMARY KEY);
            INSERT INTO numbered VALUES (1);
            CREATE TABLE varchar_key (value varchar(10) PRIMARY KEY);
            INSERT INTO varchar_key VALUES ('A');
            CREATE TABLE three_columns (value text PRIMARY KEY, comment text, rank int);
            INSERT INTO three_columns VALUES ('A', 'a', 1);
            CREATE TABLE numbered_comment (value text PRIMARY KEY, rank int);
            INSERT INTO numbered_comment VALUES ('A', 1);
            CREATE TABLE bad_names (value text PRIMARY KEY);
            INSERT INTO bad_names VALUES ('OK'), ('in review'), ('true'), ('2nd'), ('null');
            CREATE TABLE empty (value text PRIMARY KEY);
            """;

    @RegisterExtension
    static final SchemaDatabase schema = new SchemaDatabase(SCHEMA);

    @Test
    void readsTheRowsOfTheEnumTablesInKeyOrderWithTheirDescriptions() {
        DatabaseCatalog catalog = CatalogReader.read(schema.db().pool(), source(enumTable("status"), enumTable("public.Odd \"name\""),
                TableConfig.of("bad_names")));

        assertEquals(Optional.of(List.of(new EnumValue("DRAFT", null), new EnumValue("PUBLISHED", "Visible to everyone"),
                new EnumValue("_hidden", "Not listed"))), catalog.enumValues(QualifiedName.parse("status")));
        assertEquals(Optional.of(List.of(new EnumValue("ONE", null))), catalog.enumValues(new QualifiedName("public", "Odd \"name\"")),
                "names are quoted");
        assertEquals(Optional.empty(), catalog.enumValues(QualifiedName.parse("bad_names")), "a table not marked is_enum is not read");
        assertEquals(Optional.empty(), CatalogReader.read(schema.db().pool()).enumValues(QualifiedName.parse("status")), "without a source, no rows");
    }

    @Test
    void anEnumTableWithAKeyAndADescriptionColumnIsConsistent() {
        assertEquals(List.of(), schema.checker().check(metadata(enumTable("status"), enumTable("public.Odd \"name\""))).problems());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no_key           | primary key of table no_key           | an enum table needs a primary key; the table has none
            two_keys         | primary key of table two_keys         | an enum table's primary key is one column, not 2 (a, b)
            numbered         | column numbered.id                    | an enum table's primary key must have type text, not int4
            varchar_key      | column varchar_key.value              | an enum table's primary key must have type text, not varchar
            three_columns    | columns of table three_columns        | an enum table has its primary key and at most one description column, not 2 other columns (comment, rank)
            numbered_comment | column numbered_comment.rank          | an enum table's description column must have type text, not int4
            bad_names        | rows of table bad_names               | the values '2nd', 'in review', 'null', 'true' are not valid GraphQL enum value names ([_A-Za-z][_0-9A-Za-z]*, not true, false or null)
            empty            | rows of table empty                   | an enum table needs at least one row; the table has none
            """)
    void aTableThatBreaksTheRulesOfAnEnumTableIsInconsistent(String table, String dependency, String reason) {
        assertEquals(List.of(new Problem("table " + table, dependency, reason)), schema.checker().check(metadata(enumTable(table))).problems());
    }

    @Test
    void theSameTableWithoutIsEnumIsConsistent() {
        assertEquals(List.of(), schema.checker().check(metadata(TableConfig.of("no_key"), TableConfig.of("bad_names"), TableConfig.of("empty")))
                .problems());
    }

    @Test
    void aChangeThatMakesATableAnEnumTableIsCheckedAgainstItsRows() {
        Metadata plain = metadata(TableConfig.of("status"), TableConfig.of("empty"));

        assertEquals(List.of(), schema.checker().newProblems(plain, metadata(enumTable("status"), TableConfig.of("empty"))));
        List<Problem> refused = schema.checker().newProblems(plain, metadata(TableConfig.of("status"), enumTable("empty")));
        assertEquals(List.of("table empty"), refused.stream().map(Problem::object).toList(), refused.toString());
    }

    @Test
    void aValueNameIsAGraphqlNameOtherThanTrueFalseAndNull() {
        for (String valid : List.of("A", "_x", "in_review", "True", "NULL", "v2")) {
            assertTrue(EnumTableCheck.validValueName(valid), valid);
        }
        for (String invalid : List.of("", "2nd", "in review", "true", "false", "null", "é", "a-b")) {
            assertFalse(EnumTableCheck.validValueName(invalid), invalid);
        }
    }

    private static TableConfig enumTable(String table) {
        return new TableConfig(table, null, null, null, null, null, null, true);
    }

    private static Source source(TableConfig... tables) {
        return new Source("default", null, false, List.of(tables));
    }

    private static Metadata metadata(TableConfig... tables) {
        return new Metadata(1, List.of(source(tables)));
    }
}
