package io.joinery.admin.check;

import io.joinery.admin.check.MetadataObject.PermissionRef;
import io.joinery.admin.check.MetadataObject.RelationshipRef;
import io.joinery.admin.check.MetadataObject.TableRef;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.RolePermissions;
import io.joinery.admin.metadata.TableConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static io.joinery.admin.check.Fixtures.AUTHOR;
import static io.joinery.admin.check.Fixtures.BLOG;
import static io.joinery.admin.check.Fixtures.articleWith;
import static io.joinery.admin.check.Fixtures.metadata;
import static io.joinery.admin.check.Fixtures.select;
import static io.joinery.admin.check.Fixtures.tracked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsistencyCheckerTest {

    private final ConsistencyChecker checker = new ConsistencyChecker(source -> BLOG, List.of());

    private List<Problem> problems(Metadata metadata) {
        return checker.check(metadata).problems();
    }

    @Test
    void aConsistentDocumentHasNoProblems() {
        assertEquals(List.of(), problems(metadata(AUTHOR, articleWith(Map.of("user", select("{\"author\": {\"id\": {\"_eq\": \"X-Joinery-User-Id\"}}}"))))));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"us\u0000er", "us\ner", "us\u202Eer", "us\"er", "us'er", "us er", ""})
    void aPermissionOfARoleWhoseNameIsNotOneIsLeftOut(String role) {
        Metadata metadata = metadata(AUTHOR, articleWith(Map.of(role, select("{}"), "user", select("{}"))));
        List<Problem> found = problems(metadata);
        assertEquals(1, found.size(), found.toString());
        Problem problem = found.getFirst();
        assertTrue(problem.object().startsWith("table article, permission '"), problem.object());
        assertEquals("role name", problem.dependency());
        assertTrue(problem.reason().startsWith("not a valid role name"), problem.reason());
        assertTrue(problem.message().chars().allMatch(c -> c >= 0x20 && c < 0x7f), "the message shows the name escaped: " + problem.message());
        assertFalse(checker.check(metadata).servable(metadata).sources().getFirst().table(QualifiedName.parse("article")).orElseThrow()
                .permissions().containsKey(role), "the role's permission is not served");
    }

    @Test
    void aTrackedTableMustExist() {
        assertEquals(List.of(new Problem("table nope", "table nope", "the table does not exist in the database")),
                problems(metadata(TableConfig.of("nope"))));
    }

    @Test
    void aRenamedColumnMustExist() {
        TableConfig renamed = new TableConfig("tag", null, null, Map.of("lable", "name"), null, null);
        assertEquals(List.of(new Problem("table tag", "column tag.lable", "the renamed column does not exist")),
                problems(metadata(renamed)));
    }

    @Test
    void aRelationshipNeedsATrackedTarget() {
        assertEquals(List.of(new Problem("table author, relationship articles", "table article", "the target table is not tracked")),
                problems(metadata(AUTHOR)));
    }

    @Test
    void aRelationshipNeedsExistingColumnsOnBothSides() {
        TableConfig author = tracked("author", Map.of("articles", Relationship.array("article", Map.of("ident", "writer_id"))), Map.of());
        assertEquals(List.of(
                        new Problem("table author, relationship articles", "column author.ident", "the column does not exist"),
                        new Problem("table author, relationship articles", "column article.writer_id", "the column does not exist")),
                problems(metadata(author, TableConfig.of("article"))));
    }

    @Test
    void aRelationshipJoinsComparableTypesOnly() {
        TableConfig author = tracked("author", Map.of(
                "tags", Relationship.array("tag", Map.of("account", "id")),      // uuid = uuid
                "bad", Relationship.array("tag", Map.of("id", "id")),            // int4 = uuid
                "articles", Relationship.array("article", Map.of("id", "id"))), // int4 = int8
                Map.of());
        assertEquals(List.of(new Problem("table author, relationship bad", "column tag.id",
                        "its type uuid cannot be compared with author.id of type int4")),
                problems(metadata(author, TableConfig.of("article"), TableConfig.of("tag"))));
    }

    @Test
    void aRelationshipMustNotTakeAColumnsName() {
        TableConfig article = tracked("article", Map.of("title", Relationship.object("author", Map.of("author_id", "id"))), Map.of());
        assertEquals(List.of(new Problem("table article, relationship title", "column article.title",
                "the relationship has the same name as a column of its table")), problems(metadata(TableConfig.of("author"), article)));
        TableConfig renamedAway = new TableConfig("article", null, null, Map.of("title", "headline"), article.relationships(), null);
        assertEquals(List.of(), problems(metadata(TableConfig.of("author"), renamedAway)), "a renamed column frees its name");
    }

    @Test
    void aPermissionMayOnlyAllowExistingColumns() {
        TableConfig tag = tracked("tag", Map.of(), Map.of("user", select(null, "id", "colour")));
        assertEquals(List.of(new Problem("table tag, select permission user", "column tag.colour", "the permitted column does not exist")),
                problems(metadata(tag)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            {}                                                                    |
            {"id": {"_eq": "X-Joinery-User-Id"}}                                  |
            {"author_id": {"_eq": "x-hasura-user-id"}}                            | session variable x-hasura-user-id: Joinery's session variables are named x-joinery-*, not x-hasura-* (filter at $.author_id._eq)
            {"author_id": {"_eq": "x-joinery-"}}                                  | session variable x-joinery-: malformed: x-joinery- then letters, digits, '-' or '_' (filter at $.author_id._eq)
            {"author_id": {"_eq": "x-joinery-user id"}}                           | session variable x-joinery-user id: malformed: x-joinery- then letters, digits, '-' or '_' (filter at $.author_id._eq)
            {"titel": {"_eq": 1}}                                                 | column article.titel: no column or relationship of this name (filter at $.titel)
            {"author": {"name": {"_eq": "x"}}}                                    |
            {"author": {"nme": {"_eq": "x"}}}                                     | column author.nme: no column or relationship of this name (filter at $.author.nme)
            {"author": {"articles": {"author": {"id": {"_gt": 1}}}}}              |
            {"_and": [{"published": {"_eq": true}}, {"_or": [{"title": {"_ilike": "%a%"}}, {"_not": {"id": {"_in": [1, 2]}}}]}]} |
            {"_and": {"id": {"_eq": 1}}}                                          | filter: _and takes a list of boolean expressions (filter at $._and)
            {"id": {"_like": "1%"}}                                               | column article.id: _like applies to text columns, not int8 (filter at $.id._like)
            {"id": {"_foo": 1}}                                                   | operator _foo: unknown operator (filter at $.id._foo)
            {"_foo": {}}                                                          | operator _foo: unknown here: expected a column, a relationship, _and, _or, _not or _exists (filter at $._foo)
            {"id": {"_in": 1}}                                                    | filter: expected a list or a session variable (filter at $.id._in)
            {"id": {"_in": "X-Joinery-Allowed-Ids"}}                              |
            {"id": {"_nin": ["x-hasura-a"]}}                                      | session variable x-hasura-a: Joinery's session variables are named x-joinery-*, not x-hasura-* (filter at $.id._nin)
            {"id": {"_is_null": "yes"}}                                           | column article.id: _is_null takes true or false (filter at $.id._is_null)
            {"_exists": {"_table": "tag", "_where": {"label": {"_eq": "x"}}}}     |
            {"_exists": {"_table": {"schema": "public", "name": "tag"}, "_where": {"lable": {"_eq": "x"}}}} | column tag.lable: no column or relationship of this name (filter at $._exists._where.lable)
            {"_exists": {"_table": "nope"}}                                       | table nope: the table does not exist in the database (filter at $._exists._table)
            {"_exists": {"_where": {}}}                                           | filter: _exists takes {_table: table, _where: expression} (filter at $._exists)
            {"id": {"_ceq": "author_id"}}                                         |
            {"id": {"_ceq": ["$", "nope"]}}                                       | column article.nope: the compared column does not exist (filter at $.id._ceq)
            {"title": "x"}                                                        |
            {"author_id": "X-Joinery-User-Id", "published": true}                 |
            {"author_id": "x-hasura-user-id"}                                     | session variable x-hasura-user-id: Joinery's session variables are named x-joinery-*, not x-hasura-* (filter at $.author_id)
            {"author": {"id": "x-joinery-user id"}}                               | session variable x-joinery-user id: malformed: x-joinery- then letters, digits, '-' or '_' (filter at $.author.id)
            {"_exists": {"_table": "tag", "_where": {"label": "x-joinery-tag"}}}  |
            {"_exists": {"_table": "tag", "_where": {"lable": "x"}}}              | column tag.lable: no column or relationship of this name (filter at $._exists._where.lable)
            {"id": 1}                                                             |
            {"author": "x-joinery-user-id"}                                       | filter: a boolean expression is an object such as {column: {_eq: value}} (filter at $.author)
            {"author": {"profile": {"a": 1}}}                                     | operator a: unknown operator (filter at $.author.profile.a)
            [1]                                                                   | filter: a boolean expression is an object such as {column: {_eq: value}} (filter at $)
            {"author": {"profile": {"_has_key": "x"}}}                            |
            {"title": {"_contains": {}}}                                          | column article.title: _contains applies to jsonb columns, not varchar (filter at $.title._contains)
            {"title": {"_st_d_within": {"distance": 1, "from": "x-joinery-p"}}}   | column article.title: _st_d_within applies to geometry or geography columns, not varchar (filter at $.title._st_d_within)
            {"title": {"_ancestor": "x-joinery-root"}}                            | column article.title: _ancestor applies to ltree columns, not varchar (filter at $.title._ancestor)
            """)
    void permissionFiltersAreCheckedAgainstColumnsRelationshipsAndSessionVariables(String filter, String expected) {
        List<String> found = problems(metadata(AUTHOR, articleWith(Map.of("user", select(filter))))).stream()
                .peek(p -> assertEquals("table article, select permission user", p.object()))
                .map(p -> p.dependency() + ": " + p.reason())
                .toList();
        assertEquals(expected == null ? List.of() : List.of(expected), found);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            {"insert": {"check": {"author_id": {"_eq": "X-Joinery-User-Id"}}, "columns": ["title", "published"], "set": {"author_id": "x-joinery-user-id"}}} | | 
            {"insert": {"columns": ["title", "body"]}}                                   | insert | column article.body: the permitted column does not exist
            {"insert": {"columns": ["*"], "check": {"author": {"nme": {"_eq": "x"}}}}}  | insert | column author.nme: no column or relationship of this name (check at $.author.nme)
            {"insert": {"check": {"_and": {"id": {"_eq": 1}}}}}                           | insert | check: _and takes a list of boolean expressions (check at $._and)
            {"insert": {"columns": ["title"], "set": {"author_id": "x-joinery-user id"}}} | insert | session variable x-joinery-user id: malformed: x-joinery- then letters, digits, '-' or '_' (set at $.author_id)
            {"insert": {"set": {"author_id": "X-Hasura-User-Id"}}}                        | insert | session variable X-Hasura-User-Id: Joinery's session variables are named x-joinery-*, not x-hasura-* (set at $.author_id)
            {"insert": {"set": {"author_id": "X-JOINERY-USER-ID", "published": false, "title": "x-joinery"}}} | |
            {"insert": {"set": {"writer_id": 1}}}                                         | insert | column article.writer_id: the preset column does not exist
            {"update": {"columns": ["title"], "filter": {"titel": {"_eq": "x"}}}}         | update | column article.titel: no column or relationship of this name (filter at $.titel)
            {"update": {"filter": {"id": {"_gt": 0}}, "check": {"author_id": {"_eq": "x-hasura-user-id"}}}} | update | session variable x-hasura-user-id: Joinery's session variables are named x-joinery-*, not x-hasura-* (check at $.author_id._eq)
            {"update": {"columns": ["rating"]}}                                           | update | column article.rating: the permitted column does not exist
            {"update": {"columns": ["title"], "set": {"title": "draft", "id": 7}}}        | |
            {"delete": {"filter": {"editor": {"id": {"_eq": "X-Joinery-User-Id"}}}}}      | delete | column article.editor: no column or relationship of this name (filter at $.editor)
            {"delete": {"filter": {"author": {"articles": {"published": {"_eq": true}}}}}} | |
            """)
    void insertUpdateAndDeletePermissionsAreCheckedLikeSelectFilters(String permissions, String operation, String expected) {
        List<Problem> found = problems(metadata(AUTHOR, articleWith(Map.of("user", Fixtures.permissions(permissions)))));
        assertEquals(expected == null ? List.of() : List.of("table article, " + operation + " permission user: " + expected),
                found.stream().map(Problem::message).toList());
    }

    @Test
    void eachOperationIsAnObjectOfItsOwn() {
        RolePermissions permissions = Fixtures.permissions("""
                {"select": {"columns": ["id", "colour"]}, "insert": {"columns": ["colour"]},
                 "update": {"columns": ["label"], "filter": {"colour": {"_eq": "red"}}}, "delete": {}}""");
        assertEquals(List.of(
                        new Problem("table tag, select permission user", "column tag.colour", "the permitted column does not exist"),
                        new Problem("table tag, insert permission user", "column tag.colour", "the permitted column does not exist"),
                        new Problem("table tag, update permission user", "column tag.colour",
                                "no column or relationship of this name (filter at $.colour)")),
                problems(metadata(tracked("tag", Map.of(), Map.of("user", permissions)))));
    }

    @Test
    void withInferredRelationshipsAnUnknownNameOnAForeignKeyTableIsLeftToTheEngine() {
        TableConfig article = tracked("article", Map.of(), Map.of("user", select("{\"author\": {\"id\": {\"_eq\": 1}}}")));
        assertEquals(List.of(), problems(metadata(true, TableConfig.of("author"), article)));
        assertEquals(1, problems(metadata(false, TableConfig.of("author"), article)).size(), "without inference it is unknown");
    }

    @Test
    void anUnreachableSourceIsOneProblemAndBlocksOnlyChangesToIt() {
        ConsistencyChecker down = new ConsistencyChecker(source -> {
            throw new IllegalStateException("connection refused");
        }, List.of());
        Metadata current = metadata(TableConfig.of("author"));
        assertEquals(List.of(new Problem("source default", "database", "the database cannot be reached")),
                down.check(current).problems());
        assertEquals(List.of(), down.newProblems(current, current));
        assertEquals(List.of(new Problem("source default", "database", "the change cannot be checked while the database cannot be reached")),
                down.newProblems(current, metadata(TableConfig.of("author"), TableConfig.of("nope"))));
    }

    @Test
    void onlyProblemsAChangeIntroducesCount() {
        Metadata drifted = metadata(TableConfig.of("gone"));
        assertEquals(List.of(), checker.newProblems(drifted, metadata(TableConfig.of("gone"), TableConfig.of("tag"))),
                "existing drift does not block an unrelated change");
        assertEquals(List.of(new Problem("table nope", "table nope", "the table does not exist in the database")),
                checker.newProblems(drifted, metadata(TableConfig.of("gone"), TableConfig.of("nope"))));
    }

    @Test
    void extraChecksRunAfterTheBuiltInOnes() {
        Problem collision = new Problem("table tag", "root field tag", "collides with remote schema field");
        ConsistencyChecker withExtra = new ConsistencyChecker(source -> BLOG, List.of((metadata, catalogs) -> {
            assertTrue(catalogs.containsKey("default"), "extra checks get the live catalogs");
            return List.of(collision);
        }));
        assertEquals(List.of(collision), withExtra.check(metadata(TableConfig.of("tag"))).problems());
    }

    @Test
    void aProblemAffectsItsObjectAndEverythingInsideIt() {
        TableRef author = new TableRef("default", QualifiedName.parse("author"));
        Inconsistencies found = new Inconsistencies(List.of(new Problem("table author, relationship articles", "column article.author_id", "x")));
        assertTrue(found.affects(new RelationshipRef(author, "articles")));
        assertFalse(found.affects(author), "a broken relationship leaves its table consistent");
        assertFalse(found.affects(new RelationshipRef(author, "other")));
        Inconsistencies tableGone = new Inconsistencies(List.of(new Problem("table author", "table author", "x")));
        assertTrue(tableGone.affects(new PermissionRef(author, "user")), "a missing table takes its permissions with it");
        TableRef elsewhere = new TableRef("other", QualifiedName.parse("author"));
        assertEquals("source other, table author, permission user", new PermissionRef(elsewhere, "user").describe());
        assertEquals("source other, table author, insert permission user",
                new PermissionRef(elsewhere, "user", RolePermissions.Operation.INSERT).describe());
        Inconsistencies roleGone = new Inconsistencies(List.of(new Problem("table author, permission user", "x", "x")));
        assertTrue(roleGone.affects(new PermissionRef(author, "user", RolePermissions.Operation.DELETE)), "an operation belongs to its role");
        Inconsistencies insertGone = new Inconsistencies(List.of(new Problem("table author, insert permission user", "x", "x")));
        assertFalse(insertGone.affects(new PermissionRef(author, "user", RolePermissions.Operation.SELECT)), "operations are separate objects");
        assertFalse(tableGone.affects(elsewhere), "the same table name in another source is another table");
    }
}
