package io.joinery.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Computed fields and tracked functions as resources. */
class FunctionResourcesIT extends AdminServiceFixture {

    // ---- computed fields

    @Test
    void computedFieldsAreCreatedReadReplacedAndDeleted() throws Exception {
        putDocument(BLOG);
        assertEquals(JSON.readTree("{}"), get(COMPUTED_FIELDS).json());
        Response created = put(COMPUTED_FIELDS + "/full_name", "{\"function\": \"full_name\"}", null);
        assertEquals(201, created.status(), created.text());
        assertEquals(JSON.readTree("{\"function\": \"full_name\"}"), created.json());
        Response replaced = put(COMPUTED_FIELDS + "/full_name", "{\"function\": \"public.full_name\", \"comment\": \"The name to print\"}", null);
        assertEquals(200, replaced.status(), replaced.text());
        assertEquals(JSON.readTree("{\"function\": \"public.full_name\", \"comment\": \"The name to print\"}"),
                get(COMPUTED_FIELDS + "/full_name").json());
        assertEquals(List.of("full_name"), iterate(get(COMPUTED_FIELDS).json().fieldNames()));
        assertEquals(List.of("full_name"), List.copyOf(table(get("/sources/default/tables/author")).computedFields().keySet()),
                "the table's document has it");

        Response deleted = delete(COMPUTED_FIELDS + "/full_name");
        assertEquals(200, deleted.status(), deleted.text());
        assertEquals(JSON.readTree("{\"deleted\": \"table author, computed field full_name\", \"cascaded\": []}"), deleted.json());
        assertEquals(404, get(COMPUTED_FIELDS + "/full_name").status());
        assertEquals(404, delete(COMPUTED_FIELDS + "/full_name").status());
        assertEquals("not-found", get("/sources/default/tables/tag/computed-fields").code(), "tag is not tracked");
    }

    @Test
    void aMalformedOrInconsistentComputedFieldIsRefusedAndNothingIsWritten() throws Exception {
        putDocument(BLOG);
        String etag = get("/metadata").etag();
        Response missing = put(COMPUTED_FIELDS + "/nickname", "{\"function\": \"no_such_function\"}", null);
        assertEquals(400, missing.status(), missing.text());
        assertEquals("inconsistent-metadata", missing.code());
        assertEquals(JSON.readTree("""
                [{"object": "table author, computed field nickname", "dependency": "function no_such_function",
                  "reason": "the function does not exist (or has OUT arguments)"}]"""), missing.json().path("problems"));

        Response collides = put(COMPUTED_FIELDS + "/name", "{\"function\": \"full_name\"}", null);
        assertEquals("the computed field has the same name as a column of its table", collides.json().at("/problems/0/reason").asText());

        Response noFunction = put(COMPUTED_FIELDS + "/nickname", "{\"comment\": \"no function\"}", null);
        assertEquals(400, noFunction.status());
        assertEquals("invalid-metadata", noFunction.code());
        assertEquals(etag, get("/metadata").etag(), "nothing was written");
    }

    @Test
    void deletingAComputedFieldPermissionsUseNeedsCascadeWhichTakesItOutOfTheirLists() throws Exception {
        putDocument(BLOG);
        assertEquals(201, put(COMPUTED_FIELDS + "/full_name", "{\"function\": \"full_name\"}", null).status());
        assertEquals(201, put("/sources/default/tables/author/permissions/user/select",
                "{\"columns\": [\"id\"], \"computed_fields\": [\"full_name\"]}", null).status());
        Response guest = put("/sources/default/tables/author/permissions/guest/select",
                "{\"columns\": [\"id\"], \"computed_fields\": [\"full_name\"], \"filter\": {\"full_name\": {\"_like\": \"A%\"}}}", null);
        assertEquals(201, guest.status(), guest.text());
        Response reader = put("/sources/default/tables/article/permissions/reader/select",
                "{\"columns\": [\"id\"], \"filter\": {\"author\": {\"full_name\": {\"_eq\": \"Ann\"}}}}", null);
        assertEquals(201, reader.status(), reader.text());

        Response refused = delete(COMPUTED_FIELDS + "/full_name");
        assertEquals(409, refused.status(), refused.text());
        assertEquals("dependents-exist", refused.code());
        JsonNode dependents = JSON.readTree("""
                ["table author, select permission user", "table author, select permission guest", "table article, select permission reader"]""");
        assertEquals(dependents, refused.json().path("dependents"));
        assertTrue(refused.json().path("message").asText().startsWith("table author, computed field full_name is used by"), refused.text());

        Response cascaded = delete(COMPUTED_FIELDS + "/full_name?cascade=true");
        assertEquals(200, cascaded.status(), cascaded.text());
        assertEquals(dependents, cascaded.json().path("cascaded"));
        assertEquals(JSON.readTree("{\"columns\": [\"id\"], \"allow_aggregations\": false}"),
                get("/sources/default/tables/author/permissions/user/select").json(), "the listing permission stays, without it");
        assertEquals(404, get("/sources/default/tables/author/permissions/guest").status(), "the filter using it is gone");
        assertEquals(404, get("/sources/default/tables/article/permissions/reader").status(), "the filter through a relationship too");
        assertEquals(200, get("/sources/default/tables/article/permissions/user").status(), "others stay");
        assertEquals(404, get(COMPUTED_FIELDS + "/full_name").status());
    }

    // ---- tracked functions

    @Test
    void functionsAreCreatedReadReplacedAndDeleted() throws Exception {
        putDocument(BLOG);
        assertEquals(JSON.readTree("[]"), get(FUNCTIONS).json());
        Response created = put(FUNCTIONS + "/search_articles", "{}", null);
        assertEquals(201, created.status(), created.text());
        assertEquals(JSON.readTree("{\"function\": \"search_articles\"}"), created.json(), "the path's function is the default");
        Response replaced = put(FUNCTIONS + "/public.search_articles", "{\"function\": \"search_articles\", \"name\": \"find_articles\"}", null);
        assertEquals(200, replaced.status(), "public.search_articles is search_articles: " + replaced.text());
        assertEquals(JSON.readTree("[{\"function\": \"search_articles\", \"name\": \"find_articles\"}]"), get(FUNCTIONS).json());
        assertEquals(JSON.readTree("{\"function\": \"search_articles\", \"name\": \"find_articles\"}"),
                get(FUNCTIONS + "/public.search_articles").json());
        assertEquals(1, get("/sources/default").json().path("functions").size(), "the source's document has it");

        assertEquals(404, get(FUNCTIONS + "/full_name").status());
        assertEquals(404, get("/sources/analytics/functions").status());
        Response deleted = delete(FUNCTIONS + "/search_articles");
        assertEquals(200, deleted.status(), deleted.text());
        assertEquals(JSON.readTree("{\"deleted\": \"function search_articles\", \"cascaded\": []}"), deleted.json());
        assertEquals(404, get(FUNCTIONS + "/search_articles").status());
        assertEquals(404, delete(FUNCTIONS + "/search_articles").status());
    }

    @Test
    void aMismatchingOrInconsistentFunctionIsRefusedAndNothingIsWritten() throws Exception {
        putDocument(BLOG);
        String etag = get("/metadata").etag();
        Response mismatch = put(FUNCTIONS + "/search_articles", "{\"function\": \"full_name\"}", null);
        assertEquals(400, mismatch.status(), mismatch.text());
        assertEquals("invalid-metadata", mismatch.code());
        assertEquals("the body names function 'full_name' but the path names 'search_articles'", mismatch.json().path("message").asText());

        Response missing = put(FUNCTIONS + "/no_such_function", "{}", null);
        assertEquals(400, missing.status(), missing.text());
        assertEquals("inconsistent-metadata", missing.code());
        assertEquals(JSON.readTree("""
                [{"object": "function no_such_function", "dependency": "function no_such_function",
                  "reason": "the function does not exist (or has OUT arguments)"}]"""), missing.json().path("problems"));

        Response collides = put(FUNCTIONS + "/search_articles", "{\"name\": \"article\"}", null);
        assertEquals(400, collides.status(), collides.text());
        assertEquals("the query root field is already table article's", collides.json().at("/problems/0/reason").asText());
        assertEquals(etag, get("/metadata").etag(), "nothing was written");
    }

    @Test
    void computedFieldAndFunctionWritesHonourIfMatch() throws Exception {
        putDocument(BLOG);
        String etag = get("/metadata").etag();
        assertEquals(412, put(COMPUTED_FIELDS + "/full_name", "{\"function\": \"full_name\"}", "\"0\"").status());
        assertEquals(412, put(FUNCTIONS + "/search_articles", "{}", "\"0\"").status());
        Response created = put(COMPUTED_FIELDS + "/full_name", "{\"function\": \"full_name\"}", etag);
        assertEquals(201, created.status(), created.text());
        assertEquals(201, put(FUNCTIONS + "/search_articles", "{}", created.etag()).status());
        for (String path : List.of(COMPUTED_FIELDS + "/full_name", FUNCTIONS + "/search_articles")) {
            Response stale = response(http.send(request(sidecarA, "DELETE", path, null, SECRET, null).header("If-Match", etag).build(),
                    HttpResponse.BodyHandlers.ofString()));
            assertEquals(412, stale.status(), path + ": " + stale.text());
            assertEquals("precondition-failed", stale.code());
        }
        assertEquals(200, get(COMPUTED_FIELDS + "/full_name").status(), "the stale deletes changed nothing");
        assertEquals(200, get(FUNCTIONS + "/search_articles").status());
    }

    @Test
    void computedFieldAndFunctionResourcesAllowOnlyTheirMethods() throws Exception {
        Response list = send(sidecarA, "POST", FUNCTIONS, "{}", SECRET, "application/json");
        assertEquals(405, list.status());
        assertEquals("GET", list.headers().firstValue("Allow").orElseThrow());
        for (String path : List.of(COMPUTED_FIELDS + "/full_name", FUNCTIONS + "/search_articles")) {
            Response one = send(sidecarA, "PATCH", path, "{}", SECRET, "application/json");
            assertEquals(405, one.status(), path);
            assertEquals("DELETE, GET, PUT", one.headers().firstValue("Allow").orElseThrow());
        }
    }
}
