package io.joinery.admin.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.joinery.admin.metadata.MetadataCodec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TableImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void mapsEnumTablesAndListsNothingForThem() throws IOException {
        JsonNode export = JSON.readTree("""
                {"version": 3, "sources": [{"name": "default", "kind": "postgres", "tables": [
                  {"table": {"schema": "public", "name": "article_status"}, "is_enum": true},
                  {"table": {"schema": "public", "name": "article"}, "is_enum": false},
                  {"table": {"schema": "billing", "name": "plan"}, "is_enum": true,
                   "configuration": {"custom_name": "billing_plan"}}]}]}""");

        ImportResult result = HasuraImport.convert(export);

        assertEquals(MetadataCodec.toYaml(MetadataCodec.parse("""
                sources:
                  - name: default
                    tables:
                      - table: article_status
                        is_enum: true
                      - table: article
                      - table: billing.plan
                        name: billing_plan
                        is_enum: true
                """)), MetadataCodec.toYaml(result.metadata()));
        assertEquals(List.of(), result.unmapped());
    }
}
