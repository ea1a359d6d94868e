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
    void anUnknownKeyIsNamedWithTheKnownOnes() {
        MetadataException e = assertThrows(MetadataException.class,
                () -> MetadataCodec.parse("{\"version\": 1, \"sources\": [{\"name\": \"default\", \"tabels\": []}]}"));
        assertTrue(e.getMessage().contains("$.sources[0].tabels") && e.getMessage().contains("unknown key 'tabels'")
                && e.getMessage().contains("tables"), e.getMessage());
    }
}
