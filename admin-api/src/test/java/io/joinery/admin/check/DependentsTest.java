package io.joinery.admin.check;

import io.joinery.admin.metadata.ComputedField;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.TableConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.joinery.admin.check.Fixtures.AUTHOR;
import static io.joinery.admin.check.Fixtures.articleWith;
import static io.joinery.admin.check.Fixtures.metadata;
import static io.joinery.admin.check.Fixtures.permissions;
import static io.joinery.admin.check.Fixtures.select;
import static io.joinery.admin.check.Fixtures.tracked;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DependentsTest {

    private static final Metadata BLOG = metadata(AUTHOR,
            articleWith(Map.of(
                    "user", select("{\"_or\": [{\"published\": {\"_eq\": true}}, {\"author\": {\"id\": {\"_eq\": \"x-joinery-user-id\"}}}]}"),
                    "guest", select("{\"published\": {\"_eq\": true}}"))),
            tracked("tag", Map.of(), Map.of("user", select("{\"_exists\": {\"_table\": \"author\", \"_where\": {\"articles\": {\"published\": {\"_eq\": true}}}}}"))));

    private static List<String> describe(List<MetadataObject> objects) {
        return objects.stream().map(MetadataObject::describe).toList();
    }

    @Test
    void untrackingATableTakesTheRelationshipsToItAndThePermissionsThroughThemOrThroughItsOwn() {
        assertEquals(List.of("table article, relationship author", "table article, select permission user", "table tag, select permission user"),
                describe(Dependents.ofTable(BLOG, "default", QualifiedName.parse("author"))));
    }

    @Test
    void aRelationshipIsNeededByThePermissionsGoingThroughIt() {
        assertEquals(List.of("table article, select permission user"),
                describe(Dependents.ofRelationship(BLOG, "default", QualifiedName.parse("article"), "author")));
        assertEquals(List.of("table tag, select permission user"),
                describe(Dependents.ofRelationship(BLOG, "default", QualifiedName.parse("author"), "articles")));
    }

    /** Role editor may select every article but update only its own, checked through article.author after the update. */
    private static final Metadata EDITORS = metadata(AUTHOR, articleWith(Map.of("editor", permissions("""
            {"select": {"columns": ["*"]},
             "insert": {"columns": ["title"], "check": {"published": {"_eq": false}}},
             "update": {"columns": ["title"], "filter": {"published": {"_eq": false}},
                        "check": {"author": {"id": {"_eq": "X-Joinery-User-Id"}}}},
             "delete": {"filter": {"_exists": {"_table": "author", "_where": {"articles": {"id": {"_gt": 0}}}}}}}"""))));

    @Test
    void aRelationshipIsNeededByTheInsertUpdateAndDeletePermissionsGoingThroughIt() {
        assertEquals(List.of("table article, update permission editor"),
                describe(Dependents.ofRelationship(EDITORS, "default", QualifiedName.parse("article"), "author")),
                "only the update's check goes through article.author");
        assertEquals(List.of("table article, delete permission editor"),
                describe(Dependents.ofRelationship(EDITORS, "default", QualifiedName.parse("author"), "articles")),
                "the delete's filter goes through author.articles inside _exists");
        assertEquals(List.of("table article, relationship author", "table article, update permission editor",
                        "table article, delete permission editor"),
                describe(Dependents.ofTable(EDITORS, "default", QualifiedName.parse("author"))));
    }

    @Test
    void aTableNothingPointsToHasNoDependents() {
        assertEquals(List.of(), Dependents.ofTable(BLOG, "default", QualifiedName.parse("tag")));
        assertEquals(List.of(), Dependents.ofTable(metadata(TableConfig.of("tag")), "elsewhere", QualifiedName.parse("tag")));
    }

    /** author.full_name, listed by user's select on author, used by guest's filter there and by reader's on article through article.author. */
    private static final Metadata NAMES = metadata(
            tracked("author", AUTHOR.relationships(), Map.of(
                    "user", permissions("{\"select\": {\"columns\": [\"id\"], \"computed_fields\": [\"full_name\"]}}"),
                    "guest", permissions("{\"select\": {\"columns\": [\"id\"], \"filter\": {\"_not\": {\"full_name\": {\"_eq\": \"x\"}}}}}")))
                    .withComputedFields(Map.of("full_name", ComputedField.of("full_name"))),
            articleWith(Map.of("reader", permissions("{\"update\": {\"columns\": [\"title\"], \"check\": {\"author\": {\"full_name\": {\"_eq\": \"x\"}}}}}"),
                    "user", select("{\"published\": {\"_eq\": true}}"))));

    @Test
    void aComputedFieldIsNeededByThePermissionsUsingItAndListedByThoseThatPermitIt() {
        QualifiedName author = QualifiedName.parse("author");
        assertEquals(List.of("table author, select permission guest", "table article, update permission reader"),
                describe(Dependents.ofComputedField(NAMES, "default", author, "full_name")), "filters and checks using it, through relationships too");
        assertEquals(List.of("table author, select permission user"),
                describe(Dependents.permittingComputedField(NAMES, "default", author, "full_name")));
        assertEquals(List.of(), Dependents.ofComputedField(NAMES, "default", author, "nickname"));
        assertEquals(List.of(), Dependents.permittingComputedField(NAMES, "elsewhere", author, "full_name"));
    }
}
