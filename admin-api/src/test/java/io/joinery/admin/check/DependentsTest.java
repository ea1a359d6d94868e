package io.joinery.admin.check;

import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.TableConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.joinery.admin.check.Fixtures.AUTHOR;
import static io.joinery.admin.check.Fixtures.articleWith;
import static io.joinery.admin.check.Fixtures.metadata;
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
        assertEquals(List.of("table article, relationship author", "table article, permission user", "table tag, permission user"),
                describe(Dependents.ofTable(BLOG, "default", QualifiedName.parse("author"))));
    }

    @Test
    void aRelationshipIsNeededByThePermissionsGoingThroughIt() {
        assertEquals(List.of("table article, permission user"),
                describe(Dependents.ofRelationship(BLOG, "default", QualifiedName.parse("article"), "author")));
        assertEquals(List.of("table tag, permission user"),
                describe(Dependents.ofRelationship(BLOG, "default", QualifiedName.parse("author"), "articles")));
    }

    @Test
    void aTableNothingPointsToHasNoDependents() {
        assertEquals(List.of(), Dependents.ofTable(BLOG, "default", QualifiedName.parse("tag")));
        assertEquals(List.of(), Dependents.ofTable(metadata(TableConfig.of("tag")), "elsewhere", QualifiedName.parse("tag")));
    }
}
