package io.joinery.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.TableConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sources, tables and their relationships as resources. */
class SourceResourcesIT extends AdminServiceFixture {

    // ---- sources and tables

    @Test
    void sourcesAndTablesAreListedAndMissingOnesAre404() throws Exception {
        putDocument(BLOG);
        assertEquals(JSON.readTree("[{\"name\": \"default\", \"infer_relationships\": false, \"tables\": [\"author\", \"article\"]}]"),
                get("/sources").json());
        assertEquals(List.of("author", "article"), get("/sources/default/tables").json().findValuesAsText("table"));
        TableConfig author = MetadataCodec.parse(BLOG).sources().getFirst().tables().getFirst();
        assertEquals(author, table(get("/sources/default/tables/author")));
        assertEquals(author, table(get("/sources/default/tables/public.author")), "a table may be named with its schema");
        Response noTable = get("/sources/default/tables/tag");
        assertEquals(404, noTable.status());
        assertEquals("not-found", noTable.code());
        assertEquals("table 'tag' is not tracked in source 'default'", noTable.json().path("message").asText());
        assertEquals("not-found", get("/sources/other/tables").code());
        assertEquals(404, put("/sources/other/tables/tag", "{}", null).status());
    }

    @Test
    void aTableIsTrackedReplacedAndUntracked() throws Exception {
        putDocument(BLOG);
        Response tracked = put("/sources/default/tables/tag", "{\"columns\": {\"label\": \"name\"}}", null);
        assertEquals(201, tracked.status(), tracked.text());
        assertEquals(new TableConfig("tag", null, null, Map.of("label", "name"), null, null), table(tracked));
        assertEquals("\"2\"", tracked.etag());

        Response same = put("/sources/default/tables/tag", "table: tag\ncolumns: {label: name}\n", null, "application/yaml");
        assertEquals(200, same.status());
        assertEquals("\"2\"", same.etag(), "putting the same table again is not a change");

        Response mismatch = put("/sources/default/tables/tag", "{\"table\": \"author\"}", null);
        assertEquals(400, mismatch.status());
        assertEquals("invalid-metadata", mismatch.code());

        Response missing = put("/sources/default/tables/nope", "{}", null);
        assertEquals(400, missing.status());
        assertEquals("inconsistent-metadata", missing.code());

        Response untracked = delete("/sources/default/tables/tag");
        assertEquals(200, untracked.status());
        assertEquals(JSON.readTree("{\"deleted\": \"table tag\", \"cascaded\": []}"), untracked.json());
        assertEquals(404, get("/sources/default/tables/tag").status());
        assertEquals(404, delete("/sources/default/tables/tag").status());
    }

    @Test
    void untrackingATableOthersDependOnNeedsCascadeWhichSaysWhatItRemoved() throws Exception {
        putDocument(BLOG);
        Response refused = delete("/sources/default/tables/author");
        assertEquals(409, refused.status());
        assertEquals("dependents-exist", refused.code());
        assertEquals(JSON.readTree("[\"table article, relationship author\", \"table article, select permission user\"]"),
                refused.json().path("dependents"));
        assertEquals("\"1\"", get("/metadata").etag(), "a refused delete changes nothing");

        Response cascaded = delete("/sources/default/tables/author?cascade=true");
        assertEquals(200, cascaded.status(), cascaded.text());
        assertEquals(JSON.readTree("""
                {"deleted": "table author", "cascaded": ["table article, relationship author", "table article, select permission user"]}"""),
                cascaded.json());
        assertEquals(TableConfig.of("article"), table(get("/sources/default/tables/article")));
    }

    @Test
    void aSourceIsCreatedReadReplacedAndDeleted() throws Exception {
        putDocument(BLOG);
        Response missing = get("/sources/analytics");
        assertEquals(404, missing.status());
        assertEquals("not-found", missing.code());
        assertEquals("source 'analytics' does not exist", missing.json().path("message").asText());

        Response created = put("/sources/analytics", "{\"tables\": [{\"table\": \"tag\"}]}", null);
        assertEquals(201, created.status(), created.text());
        assertEquals("\"2\"", created.etag());
        assertEquals(JSON.readTree("{\"name\": \"analytics\", \"tables\": [{\"table\": \"tag\"}]}"), created.json(), "the name comes from the path");
        Response read = get("/sources/analytics");
        assertEquals(200, read.status());
        assertEquals(created.json(), read.json());
        assertEquals("\"2\"", read.etag());
        assertEquals(List.of("default", "analytics"), get("/sources").json().findValuesAsText("name"));

        Response same = put("/sources/analytics", "name: analytics\ntables: [{table: tag}]\n", null, "application/yaml");
        assertEquals(200, same.status(), same.text());
        assertEquals("\"2\"", same.etag(), "putting the same source again is not a change");

        assertEquals(412, put("/sources/analytics", "{\"tables\": []}", "\"1\"").status(), "source writes honour If-Match");
        Response replaced = put("/sources/analytics", "{\"infer_relationships\": true, \"tables\": [{\"table\": \"author\"}]}", "\"2\"");
        assertEquals(200, replaced.status(), replaced.text());
        assertEquals("\"3\"", replaced.etag());
        assertEquals(JSON.readTree("{\"name\": \"analytics\", \"infer_relationships\": true, \"tables\": [{\"table\": \"author\"}]}"),
                get("/sources/analytics").json(), "a PUT replaces the whole source, tables included");

        Response mismatch = put("/sources/analytics", "{\"name\": \"other\"}", null);
        assertEquals(400, mismatch.status());
        assertEquals("invalid-metadata", mismatch.code());
        assertEquals("the body names source 'other' but the path names 'analytics'", mismatch.json().path("message").asText());
        Response untrackable = put("/sources/analytics", "{\"tables\": [{\"table\": \"nope\"}]}", null);
        assertEquals(400, untrackable.status(), untrackable.text());
        assertEquals("inconsistent-metadata", untrackable.code());
        Response unreadable = put("/sources/other", "{\"tables\": [{\"table\": \"tag\"}]}", null);
        assertEquals(400, unreadable.status(), unreadable.text());
        assertEquals("inconsistent-metadata", unreadable.code());
        assertEquals("\"3\"", get("/metadata").etag(), "refused writes change nothing");

        Response deleted = delete("/sources/analytics");
        assertEquals(200, deleted.status(), deleted.text());
        assertEquals(JSON.readTree("{\"deleted\": \"source analytics\", \"cascaded\": []}"), deleted.json());
        assertEquals(404, get("/sources/analytics").status());
        assertEquals(404, delete("/sources/analytics").status());
        assertEquals(MetadataCodec.parse(BLOG), MetadataCodec.parse(get("/metadata").text()), "the rest of the document is as it was");
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            {not json                                      | invalid-json     | line 1
            ~~                                             | invalid-json     | needs a JSON or YAML body
            {"tablez": []}                                 | invalid-metadata | unknown key 'tablez'
            {"tables": [{"table": "tag"}, {"table": "tag"}]} | invalid-metadata | tracks a table twice
            [1]                                            | invalid-metadata | invalid metadata
            """)
    void aMalformedSourceIsRefusedWithACode(String body, String code, String messagePart) throws Exception {
        Response response = put("/sources/analytics", body == null ? "" : body, null);
        assertEquals(400, response.status(), response.text());
        assertEquals(code, response.code());
        assertTrue(response.json().path("message").asText().contains(messagePart), response.text());
        assertEquals("\"0\"", get("/metadata").etag(), "nothing was written");
    }

    @Test
    void deletingASourceOthersJoinToNeedsCascadeWhichSaysWhatItRemoved() throws Exception {
        Response setUp = putDocument(TWO_SOURCES);
        assertEquals(200, setUp.status(), setUp.text());
        Response refused = delete("/sources/analytics");
        assertEquals(409, refused.status(), refused.text());
        assertEquals("dependents-exist", refused.code());
        JsonNode dependents = JSON.readTree("""
                ["table author, relationship stats", "table author, select permission user", "remote schema profiles, relationship Profile.stats"]""");
        assertEquals(dependents, refused.json().path("dependents"));
        assertEquals("\"1\"", get("/metadata").etag(), "a refused delete changes nothing");

        Response cascaded = delete("/sources/analytics?cascade=true");
        assertEquals(200, cascaded.status(), cascaded.text());
        assertEquals("source analytics", cascaded.json().path("deleted").asText());
        assertEquals(dependents, cascaded.json().path("cascaded"));
        assertEquals(404, get("/sources/analytics").status());
        TableConfig author = table(get("/sources/default/tables/author"));
        assertEquals(Map.of(), author.relationships());
        assertEquals(Map.of(), author.permissions());
        assertEquals(Map.of(), remoteSchema(get("/remote-schemas/profiles")).relationships(), "Profile.stats went with the source");
        assertEquals(List.of("author", "article"), get("/sources/default/tables").json().findValuesAsText("table"));
    }

    @Test
    void theDefaultSourceIsNeverDeleted() throws Exception {
        putDocument(BLOG);
        for (String path : new String[]{"/sources/default", "/sources/default?cascade=true"}) {
            Response refused = delete(path);
            assertEquals(409, refused.status(), refused.text());
            assertEquals("default-source", refused.code());
            assertTrue(refused.json().path("message").asText().contains("the default source cannot be deleted"), refused.text());
        }
        assertEquals("\"1\"", get("/metadata").etag(), "nothing was written");
        assertEquals(List.of("author", "article"), get("/sources/default").json().path("tables").findValuesAsText("table"));
    }

    @Test
    void aSourceAllowsOnlyItsMethods() throws Exception {
        Response wrong = send(sidecarA, "POST", "/sources/default", "{}", SECRET, "application/json");
        assertEquals(405, wrong.status());
        assertEquals("DELETE, GET, PUT", wrong.headers().firstValue("Allow").orElseThrow());
    }

    // ---- relationships

    @Test
    void relationshipsAreCreatedCheckedListedAndDeleted() throws Exception {
        putDocument(BLOG);
        Response created = put("/sources/default/tables/author/relationships/first_article",
                "{\"object\": \"article\", \"on\": {\"id\": \"author_id\"}}", null);
        assertEquals(201, created.status(), created.text());
        assertEquals(JSON.readTree("{\"object\": \"article\", \"on\": {\"id\": \"author_id\"}}"),
                get("/sources/default/tables/author/relationships/first_article").json());
        assertEquals(List.of("articles", "first_article"),
                iterate(get("/sources/default/tables/author/relationships").json().fieldNames()));

        Response collides = put("/sources/default/tables/article/relationships/title", "{\"object\": \"author\", \"on\": {\"author_id\": \"id\"}}", null);
        assertEquals(400, collides.status());
        assertEquals("the relationship has the same name as a column of its table", collides.json().at("/problems/0/reason").asText());

        Response untrackedTarget = put("/sources/default/tables/author/relationships/tags", "{\"array\": \"tag\", \"on\": {\"account\": \"id\"}}", null);
        assertEquals("the target table is not tracked", untrackedTarget.json().at("/problems/0/reason").asText());

        Response wrongTypes = put("/sources/default/tables/author/relationships/odd", "{\"array\": \"article\", \"on\": {\"name\": \"id\"}}", null);
        assertEquals("its type int4 cannot be compared with author.name of type text", wrongTypes.json().at("/problems/0/reason").asText());

        Response malformed = put("/sources/default/tables/author/relationships/odd", "{\"array\": \"article\"}", null);
        assertEquals("invalid-metadata", malformed.code());

        Response used = delete("/sources/default/tables/article/relationships/author");
        assertEquals(409, used.status());
        assertEquals(JSON.readTree("[\"table article, select permission user\"]"), used.json().path("dependents"));
        Response cascaded = delete("/sources/default/tables/article/relationships/author?cascade=true");
        assertEquals(200, cascaded.status());
        assertEquals(JSON.readTree("[\"table article, select permission user\"]"), cascaded.json().path("cascaded"));
        assertEquals(404, get("/sources/default/tables/article/permissions/user").status());
        assertEquals(404, delete("/sources/default/tables/article/relationships/author").status());
    }
}
