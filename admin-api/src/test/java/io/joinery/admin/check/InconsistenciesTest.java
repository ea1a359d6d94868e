package io.joinery.admin.check;

import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.RolePermissions;
import io.joinery.admin.metadata.TableConfig;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.joinery.admin.check.Fixtures.AUTHOR;
import static io.joinery.admin.check.Fixtures.BLOG;
import static io.joinery.admin.check.Fixtures.articleWith;
import static io.joinery.admin.check.Fixtures.metadata;
import static io.joinery.admin.check.Fixtures.permissions;
import static io.joinery.admin.check.Fixtures.select;
import static io.joinery.admin.check.Fixtures.tracked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** What the engine serves of a document with problems: {@link Inconsistencies#servable}, and the problems that lead there. */
class InconsistenciesTest {

    private final ConsistencyChecker checker = new ConsistencyChecker(source -> BLOG, List.of());

    /** author.articles joins on a column article does not have; article's permission for role user filters through article.author, which is fine. */
    private static final TableConfig BROKEN_AUTHOR = tracked("author",
            Map.of("articles", Relationship.array("article", Map.of("id", "writer_id")),
                    "self", Relationship.object("author", Map.of("id", "id"))),
            Map.of("user", select("{\"id\": {\"_eq\": \"X-Joinery-User-Id\"}}", "id", "name"),
                    "guest", select("{\"articles\": {\"published\": {\"_eq\": true}}}", "id")));

    @Test
    void aPermissionFilteringThroughAnInconsistentRelationshipIsInconsistentToo() {
        assertEquals(List.of(
                        new Problem("table author, relationship articles", "column article.writer_id", "the column does not exist"),
                        new Problem("table author, select permission guest", "relationship author.articles",
                                "the filter goes through this relationship, which is inconsistent")),
                checker.check(metadata(BROKEN_AUTHOR, TableConfig.of("article"))).problems());
    }

    @Test
    void theServablePartLeavesOutExactlyTheObjectsWithProblems() {
        Metadata document = metadata(BROKEN_AUTHOR, articleWith(Map.of("user", select("{\"author\": {\"id\": {\"_eq\": \"X-Joinery-User-Id\"}}}"))));
        Inconsistencies found = checker.check(document);
        assertEquals(2, found.objectCount(), found.toString());

        Metadata servable = found.servable(document);
        TableConfig author = servable.sources().getFirst().table(AUTHOR.qualifiedName()).orElseThrow();
        assertEquals(List.of("self"), List.copyOf(author.relationships().keySet()), "the broken relationship is left out, the other kept");
        assertEquals(List.of("user"), List.copyOf(author.permissions().keySet()), "the permission through it is left out, the other kept");
        assertEquals(document.sources().getFirst().tables().get(1), servable.sources().getFirst().tables().get(1), "article is untouched");
        assertEquals(List.of(), checker.check(servable).problems(), "what is served is consistent");
    }

    @Test
    void anInconsistentOperationIsLeftOutAloneAndARoleWithNoneLeftGoes() {
        Map<String, RolePermissions> roles = new LinkedHashMap<>();
        roles.put("user", permissions("""
                        {"select": {"columns": ["id", "title"]},
                         "insert": {"columns": ["title", "body"]},
                         "update": {"columns": ["title"], "check": {"author": {"id": {"_eq": "X-Joinery-User-Id"}}}},
                         "delete": {"filter": {"author_id": {"_eq": "X-Joinery-User-Id"}}}}"""));
        roles.put("writer", permissions("{\"insert\": {\"columns\": [\"title\"], \"check\": {\"author\": {\"name\": {\"_eq\": \"x\"}}}}}"));
        TableConfig article = articleWith(roles);
        TableConfig brokenArticleAuthor = new TableConfig("article", null, null, null,
                Map.of("author", Relationship.object("author", Map.of("writer_id", "id"))), article.permissions());
        Inconsistencies found = checker.check(metadata(TableConfig.of("author"), brokenArticleAuthor));
        assertEquals(List.of(
                        new Problem("table article, relationship author", "column article.writer_id", "the column does not exist"),
                        new Problem("table article, insert permission user", "column article.body", "the permitted column does not exist"),
                        new Problem("table article, update permission user", "relationship article.author",
                                "the check goes through this relationship, which is inconsistent"),
                        new Problem("table article, insert permission writer", "relationship article.author",
                                "the check goes through this relationship, which is inconsistent")),
                found.problems());

        TableConfig served = found.servable(metadata(TableConfig.of("author"), brokenArticleAuthor)).sources().getFirst()
                .table(article.qualifiedName()).orElseThrow();
        assertEquals(List.of("user"), List.copyOf(served.permissions().keySet()), "writer had only the broken insert: the role goes");
        RolePermissions user = served.permissions().get("user");
        assertEquals(article.permissions().get("user").select(), user.select(), "the select stays");
        assertEquals(article.permissions().get("user").delete(), user.delete(), "the delete stays");
        assertNull(user.insert(), "the insert naming a column that does not exist is left out");
        assertNull(user.update(), "the update checking through the broken relationship is left out");
    }

    @Test
    void aTableWithAStaleRenameKeepsItsOtherObjects() {
        TableConfig renamed = new TableConfig("author", null, null, Map.of("gone", "vanished"),
                AUTHOR.relationships(), Map.of("user", select(null, "id")));
        Metadata document = metadata(renamed, TableConfig.of("article"));
        Inconsistencies found = checker.check(document);
        assertEquals(List.of(new Problem("table author", "column author.gone", "the renamed column does not exist")), found.problems());
        assertEquals(document, found.servable(document), "the engine ignores the rename; the table and its relationships stay");
    }

    @Test
    void aConsistentDocumentIsServedAsItIs() {
        Metadata document = metadata(AUTHOR, articleWith(Map.of()));
        assertSame(document, checker.check(document).servable(document));
        assertEquals(0, Inconsistencies.NONE.objectCount());
    }
}
