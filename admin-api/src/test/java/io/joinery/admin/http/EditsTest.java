package io.joinery.admin.http;

import io.joinery.admin.check.MetadataObject.PermissionRef;
import io.joinery.admin.check.MetadataObject.RelationshipRef;
import io.joinery.admin.check.MetadataObject.TableRef;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.TableConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EditsTest {

    private static final Metadata DOCUMENT = MetadataCodec.parse("""
            version: 1
            sources:
              - name: default
                url: { from_env: DATABASE_URL }
                infer_relationships: true
                tables:
                  - table: author
                    name: writer
                    root_fields: { select: writers }
                    columns: { name: full_name }
                    relationships:
                      articles: { array: article, on: { id: author_id } }
                    permissions:
                      user: { select: { columns: ["*"], filter: { id: { _eq: x-joinery-user-id } } } }
                  - table: article
              - name: other
                tables:
                  - table: article
            """);
    private static final QualifiedName AUTHOR = QualifiedName.parse("author");

    @Test
    void changingOneRelationshipKeepsEverythingElseOfTheDocument() {
        Metadata next = Edits.withTable(DOCUMENT, "default", AUTHOR, Edits.withRelationship(Edits.table(DOCUMENT, "default", AUTHOR),
                "first", Relationship.object("article", Map.of("id", "author_id"))));
        TableConfig author = Edits.table(next, "default", AUTHOR);
        assertEquals(List.of("articles", "first"), List.copyOf(author.relationships().keySet()), "a new entry goes last");
        assertEquals(Edits.table(DOCUMENT, "default", AUTHOR).rootFields(), author.rootFields());
        assertEquals(Map.of("name", "full_name"), author.columns());
        assertEquals("writer", author.name());
        assertEquals(DOCUMENT.source("default").orElseThrow().url(), next.source("default").orElseThrow().url());
        assertEquals(DOCUMENT.source("other"), next.source("other"));
        Metadata undone = Edits.withTable(next, "default", AUTHOR, Edits.withRelationship(author, "first", null));
        assertEquals(DOCUMENT, undone, "removing the added relationship gives back the very same document");
    }

    @Test
    void untrackingAndCascadingRemoveOnlyTheNamedObjects() {
        TableRef author = new TableRef("default", AUTHOR);
        Metadata next = Edits.without(DOCUMENT, List.of(new RelationshipRef(author, "articles"), new PermissionRef(author, "user")));
        TableConfig left = Edits.table(next, "default", AUTHOR);
        assertEquals(Map.of(), left.relationships());
        assertEquals(Map.of(), left.permissions());
        assertEquals("writer", left.name());
        Metadata untracked = Edits.withTable(next, "default", QualifiedName.parse("article"), null);
        assertEquals(List.of("author"), untracked.source("default").orElseThrow().tables().stream().map(TableConfig::table).toList());
        assertEquals(DOCUMENT.source("other"), untracked.source("other"), "the same table name in another source stays");
    }

    @Test
    void aMissingSourceOrTableIsNotFound() {
        AdminError noSource = assertThrows(AdminError.class, () -> Edits.withTable(DOCUMENT, "nope", AUTHOR, TableConfig.of("author")));
        assertEquals("not-found", noSource.body().get("code"));
        assertThrows(AdminError.class, () -> Edits.table(DOCUMENT, "other", AUTHOR));
    }
}
