package io.joinery.admin.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.admin.hasura.HasuraImport;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.SelectPermission;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.joinery.admin.check.Fixtures.BLOG;
import static io.joinery.admin.check.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A Hasura export whose filters use bare values (Note [Bare values are _eq]) imports and passes the checks. */
class ImportedFiltersTest {

    private final ConsistencyChecker checker = new ConsistencyChecker(source -> BLOG, List.of());

    @Test
    void bareValuesInAnImportedExportAreEqualities() {
        JsonNode export = json("""
                {"version": 3, "sources": [{"name": "default", "kind": "postgres", "tables": [
                  {"table": {"schema": "public", "name": "author"},
                   "array_relationships": [{"name": "articles", "using": {"manual_configuration": {
                     "remote_table": {"schema": "public", "name": "article"}, "column_mapping": {"id": "author_id"}}}}]},
                  {"table": {"schema": "public", "name": "article"},
                   "object_relationships": [{"name": "author", "using": {"manual_configuration": {
                     "remote_table": {"schema": "public", "name": "author"}, "column_mapping": {"author_id": "id"}}}}],
                   "select_permissions": [
                     {"role": "user", "permission": {"columns": "*", "filter": {"author_id": "X-Hasura-User-Id"}}},
                     {"role": "reader", "permission": {"columns": "*", "filter": {"author": {"id": "X-Hasura-User-Id"}, "published": true}}},
                     {"role": "tagger", "permission": {"columns": "*",
                       "filter": {"_exists": {"_table": {"schema": "public", "name": "tag"}, "_where": {"label": "X-Hasura-Tag"}}}}}],
                   "update_permissions": [{"role": "user", "permission": {"columns": ["title"],
                     "filter": {"author_id": "X-Hasura-User-Id"}, "check": {"author": {"articles": {"published": false}}}}}]},
                  {"table": {"schema": "public", "name": "tag"}}]}]}""");

        Metadata imported = HasuraImport.convert(export).metadata();

        SelectPermission user = imported.sources().getFirst().table(QualifiedName.parse("article")).orElseThrow().permissions().get("user").select();
        assertEquals(json("{\"author_id\": \"x-joinery-user-id\"}"), user.filter(), "the value is renamed, the shorthand kept");
        assertEquals(List.of(), checker.check(imported).problems());
    }
}
