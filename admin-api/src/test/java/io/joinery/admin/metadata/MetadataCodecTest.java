package io.joinery.admin.metadata;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataCodecTest {

    private static final Metadata DOCUMENT = new Metadata(1, List.of(new Source("default", null, false, List.of(
            new TableConfig("author", null, null, null,
                    Map.of("articles", Relationship.array("article", Map.of("id", "author_id"))), null),
            TableConfig.of("article")))));

    @Test
    void jsonRoundTripsADocumentWithFalseBooleansLeftOut() {
        String json = MetadataCodec.toJson(DOCUMENT);
        assertEquals(DOCUMENT, MetadataCodec.parse(json), "toJson output must parse back:\n" + json);
    }

    @Test
    void aTableWithoutCustomNamesIsWrittenWithoutEmptyParts() {
        assertEquals("{\"version\":1,\"sources\":[{\"name\":\"default\",\"tables\":[{\"table\":\"article\"}]}]}",
                MetadataCodec.toTree(new Metadata(1, List.of(new Source("default", null, false, List.of(TableConfig.of("article")))))).toString());
    }

    @Test
    void yamlRoundTrips() {
        assertEquals(DOCUMENT, MetadataCodec.parse(MetadataCodec.toYaml(DOCUMENT)));
    }

    @Test
    void yamlIsWrittenForPeopleAndGit() {
        assertEquals("""
                version: 1
                sources:
                  - name: default
                    tables:
                      - table: author
                        relationships:
                          articles:
                            array: article
                            "on":
                              id: author_id
                      - table: article
                """, MetadataCodec.toYaml(DOCUMENT), "(YAML 1.1 reads a bare on as true: the writer quotes it, the reader takes both)");
    }

    @Test
    void yamlQuotesTheStringsThatWouldReadBackAsSomethingElse() {
        String tricky = """
                {"version": 1, "sources": [{"name": "default", "tables": [{"table": "author", "permissions": {"user": {"select": {
                  "columns": ["*"], "filter": {"_and": [{"name": {"_eq": "123"}}, {"name": {"_eq": "true"}}, {"name": {"_eq": "null"}},
                  {"name": {"_eq": "a: b"}}, {"name": {"_eq": "#x"}}, {"name": {"_eq": ""}}, {"name": {"_eq": "- x"}},
                  {"name": {"_eq": "{x}"}}, {"name": {"_eq": "1.5e3"}}, {"name": {"_eq": "yes"}}, {"name": {"_eq": 7}}]}}}}}]}]}
                """;
        Metadata document = MetadataCodec.parse(tricky);
        String yaml = MetadataCodec.toYaml(document);
        assertEquals(document, MetadataCodec.parse(yaml), "every value reads back with its type:\n" + yaml);
    }

    @Test
    void anUnknownKeyIsNamedWithTheKnownOnes() {
        MetadataException e = assertThrows(MetadataException.class,
                () -> MetadataCodec.parse("{\"version\": 1, \"sources\": [{\"name\": \"default\", \"tabels\": []}]}"));
        assertTrue(e.getMessage().contains("$.sources[0].tabels") && e.getMessage().contains("unknown key 'tabels'")
                && e.getMessage().contains("tables"), e.getMessage());
    }
}
