package io.joinery.admin.http;

import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.RemoteSchemaConfig;
import io.joinery.admin.metadata.ValueFrom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Remote schemas, remote relationships and remote schemas' type relationships as resources. */
class RemoteResourcesIT extends AdminServiceFixture {

    // ---- remote schemas and remote relationships

    @Test
    void remoteSchemasAreCreatedReadReplacedAndDeleted() throws Exception {
        putDocument(BLOG);
        Response none = get("/remote-schemas");
        assertEquals(200, none.status());
        assertEquals(JSON.readTree("[]"), none.json());
        assertEquals("\"1\"", none.etag());

        Response created = put("/remote-schemas/profiles", "{\"url\": \"" + PROFILES_URL + "\", \"timeout_seconds\": 5}", null);
        assertEquals(201, created.status(), created.text());
        assertEquals("\"2\"", created.etag());
        RemoteSchemaConfig profiles = new RemoteSchemaConfig("profiles", new ValueFrom(PROFILES_URL, null), null, false, 5, null, null);
        assertEquals(profiles, remoteSchema(created), "the name comes from the path");
        assertEquals(profiles, remoteSchema(get("/remote-schemas/profiles")));
        assertEquals(List.of("profiles"), get("/remote-schemas").json().findValuesAsText("name"));

        Response same = put("/remote-schemas/profiles", "name: profiles\nurl: " + PROFILES_URL + "\ntimeout_seconds: 5\n", null, "application/yaml");
        assertEquals(200, same.status(), same.text());
        assertEquals("\"2\"", same.etag(), "putting the same remote schema again is not a change");

        Response stale = put("/remote-schemas/profiles", "{\"url\": \"" + PROFILES_URL + "\"}", "\"1\"");
        assertEquals(412, stale.status(), "remote schema writes honour If-Match");
        Response replaced = put("/remote-schemas/profiles",
                "{\"url\": \"" + PROFILES_URL + "\", \"headers\": {\"X-Api-Key\": {\"from_env\": \"PROFILES_KEY\"}}, \"batch_size\": 50}", "\"2\"");
        assertEquals(200, replaced.status(), replaced.text());
        assertEquals("\"3\"", replaced.etag());
        assertEquals(new RemoteSchemaConfig("profiles", new ValueFrom(PROFILES_URL, null), Map.of("X-Api-Key", new ValueFrom(null, "PROFILES_KEY")),
                false, null, 50, null), remoteSchema(get("/remote-schemas/profiles")), "a PUT replaces the whole remote schema");

        Response mismatch = put("/remote-schemas/profiles", "{\"name\": \"other\", \"url\": \"" + PROFILES_URL + "\"}", null);
        assertEquals(400, mismatch.status());
        assertEquals("invalid-metadata", mismatch.code());
        assertEquals("the body names remote schema 'other' but the path names 'profiles'", mismatch.json().path("message").asText());

        Response deleted = delete("/remote-schemas/profiles");
        assertEquals(200, deleted.status(), deleted.text());
        assertEquals(JSON.readTree("{\"deleted\": \"remote schema profiles\", \"cascaded\": []}"), deleted.json());
        Response gone = get("/remote-schemas/profiles");
        assertEquals(404, gone.status());
        assertEquals("not-found", gone.code());
        assertEquals("remote schema 'profiles' does not exist", gone.json().path("message").asText());
        assertEquals(404, delete("/remote-schemas/profiles").status());
        assertEquals(MetadataCodec.parse(BLOG), MetadataCodec.parse(get("/metadata").text()), "the rest of the document is as it was");
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            {not json                                      | invalid-json     | line 1
            ~~                                             | invalid-json     | needs a JSON or YAML body
            {"timeout_seconds": 5}                         | invalid-metadata | remote schema 'profiles' needs a url
            {"url": "http://x", "timeout": 5}              | invalid-metadata | unknown key 'timeout'
            {"url": {"from_env": "A", "value": "b"}}       | invalid-metadata | expected a string or {from_env: NAME}
            {"url": "http://x", "batch_size": 0}           | invalid-metadata | batch_size must be positive
            [1]                                            | invalid-metadata | invalid metadata
            """)
    void aMalformedRemoteSchemaIsRefusedWithACode(String body, String code, String messagePart) throws Exception {
        Response response = put("/remote-schemas/profiles", body == null ? "" : body, null);
        assertEquals(400, response.status(), response.text());
        assertEquals(code, response.code());
        assertTrue(response.json().path("message").asText().contains(messagePart), response.text());
        assertEquals("\"0\"", get("/metadata").etag(), "nothing was written");
    }

    @Test
    void aRemoteSchemaThatDoesNotAnswerIsRefusedWithTheEnginesProblem() throws Exception {
        putDocument(BLOG);
        Response down = put("/remote-schemas/down", "{\"url\": \"http://down.test/graphql\"}", null);
        assertEquals(400, down.status(), down.text());
        assertEquals("inconsistent-metadata", down.code());
        assertEquals(JSON.readTree("""
                [{"object": "remote schema down", "dependency": "introspection",
                  "reason": "remote schema 'down' did not answer introspection: connection refused"}]"""), down.json().path("problems"));
        assertEquals("\"1\"", get("/metadata").etag(), "nothing was written");
    }

    @Test
    void remoteRelationshipsAreCreatedCheckedListedAndDeleted() throws Exception {
        putDocument(BLOG);
        assertEquals(201, put("/remote-schemas/profiles", "{\"url\": \"" + PROFILES_URL + "\"}", null).status());
        String path = "/sources/default/tables/author/remote-relationships/profile";
        assertEquals(JSON.readTree("{}"), get("/sources/default/tables/author/remote-relationships").json());

        Response created = put(path, REMOTE_PROFILE, null);
        assertEquals(201, created.status(), created.text());
        assertEquals("\"3\"", created.etag());
        assertEquals(JSON.readTree(REMOTE_PROFILE), created.json());
        assertEquals(JSON.readTree(REMOTE_PROFILE), get(path).json());
        Response batch = put("/sources/default/tables/author/remote-relationships/profiles", """
                remote_schema: profiles
                batch: { field: profiles, arguments: { authorIds: $id }, key: { authorId: id } }
                """, null, "application/yaml");
        assertEquals(201, batch.status(), batch.text());
        assertEquals(List.of("profile", "profiles"), iterate(get("/sources/default/tables/author/remote-relationships").json().fieldNames()));
        assertEquals(200, put(path, REMOTE_PROFILE, null).status(), "a PUT of an existing one replaces it");
        assertEquals("\"4\"", get("/metadata").etag(), "... and the same one again is not a change");

        Response wrongField = put(path, REMOTE_PROFILE.replace("{\"profile\"", "{\"profil\""), null);
        assertEquals(400, wrongField.status(), wrongField.text());
        assertEquals("inconsistent-metadata", wrongField.code());
        assertEquals("table author, remote relationship profile: field 'profil' not found in type: 'query_root'",
                wrongField.json().at("/problems/0/reason").asText());

        Response undeclared = put("/sources/default/tables/author/remote-relationships/ghost", REMOTE_PROFILE.replace("\"profiles\"", "\"nope\""), null);
        assertEquals(400, undeclared.status(), undeclared.text());
        assertEquals(JSON.readTree("""
                [{"object": "table author, remote relationship ghost", "dependency": "remote schema nope",
                  "reason": "the remote schema is not declared"}]"""), undeclared.json().path("problems"));

        Response malformed = put(path, "{\"remote_schema\": \"profiles\"}", null);
        assertEquals("invalid-metadata", malformed.code());
        assertTrue(malformed.json().path("message").asText().contains("needs 'remote_field', 'batch' or 'federation'"), malformed.text());
        assertEquals("invalid-json", put(path, "{\"remote_schema\": ", null).code());
        assertEquals("\"4\"", get("/metadata").etag(), "refused writes change nothing");

        Response noRelationship = get("/sources/default/tables/author/remote-relationships/nope");
        assertEquals(404, noRelationship.status());
        assertEquals("table 'author' has no remote relationship 'nope'", noRelationship.json().path("message").asText());
        Response untracked = get("/sources/default/tables/tag/remote-relationships");
        assertEquals(404, untracked.status());
        assertEquals("table 'tag' is not tracked in source 'default'", untracked.json().path("message").asText());
        assertEquals(404, put("/sources/other/tables/author/remote-relationships/profile", REMOTE_PROFILE, null).status());

        Response deleted = delete(path);
        assertEquals(200, deleted.status(), deleted.text());
        assertEquals(JSON.readTree("{\"deleted\": \"table author, remote relationship profile\", \"cascaded\": []}"), deleted.json());
        assertEquals(404, get(path).status());
        assertEquals(404, delete(path).status());
        assertEquals(MetadataCodec.parse(BLOG).sources().getFirst().tables().getFirst().relationships(),
                table(get("/sources/default/tables/author")).relationships(), "the table's other objects stay");
    }

    @Test
    void remoteSchemaTypeRelationshipsAreCreatedCheckedListedAndDeleted() throws Exception {
        putDocument(BLOG);
        String list = "/remote-schemas/profiles/relationships";
        String path = list + "/Profile/author";
        String toAuthor = "{\"object\": \"author\", \"on\": {\"authorId\": \"id\"}}";
        Response noRemote = get(list);
        assertEquals(404, noRemote.status());
        assertEquals("remote schema 'profiles' does not exist", noRemote.json().path("message").asText());
        assertEquals(404, put(path, toAuthor, null).status(), "a relationship needs its remote schema");
        assertEquals(201, put("/remote-schemas/profiles", "{\"url\": \"" + PROFILES_URL + "\"}", null).status());
        assertEquals(JSON.readTree("{}"), get(list).json());
        assertEquals("\"2\"", get(list).etag());

        Response created = put(path, toAuthor, null);
        assertEquals(201, created.status(), created.text());
        assertEquals("\"3\"", created.etag());
        assertEquals(JSON.readTree(toAuthor), created.json());
        assertEquals(JSON.readTree(toAuthor), get(path).json());
        Response remote = put(list + "/Profile/self", """
                remote_schema: profiles
                remote_field: { profile: { arguments: { authorId: $authorId } } }
                """, null, "application/yaml");
        assertEquals(201, remote.status(), remote.text());
        String toSelf = "{\"remote_schema\": \"profiles\", \"remote_field\": {\"profile\": {\"arguments\": {\"authorId\": \"$authorId\"}}}}";
        assertEquals(JSON.readTree(toSelf), remote.json());
        Response all = get(list);
        assertEquals(JSON.readTree("{\"Profile\": {\"author\": " + toAuthor + ", \"self\": " + toSelf + "}}"), all.json());
        assertEquals("\"4\"", all.etag());
        assertEquals(List.of("author", "self"), List.copyOf(remoteSchema(get("/remote-schemas/profiles")).relationships().get("Profile").keySet()),
                "the remote schema's document holds them");

        String toAuthors = "{\"array\": \"author\", \"on\": {\"authorId\": \"id\"}}";
        Response replaced = put(path, toAuthors, "\"4\"");
        assertEquals(200, replaced.status(), replaced.text());
        assertEquals("\"5\"", replaced.etag());
        assertEquals(JSON.readTree(toAuthors), get(path).json());
        assertEquals(200, put(path, toAuthors, null).status(), "a PUT of an existing one replaces it");
        assertEquals("\"5\"", get("/metadata").etag(), "... and the same one again is not a change");

        Response stale = put(path, toAuthor, "\"4\"");
        assertEquals(412, stale.status(), stale.text());
        assertEquals("precondition-failed", stale.code());
        Response unknownField = put(path, toAuthor.replace("authorId", "authorid"), null);
        assertEquals(400, unknownField.status(), unknownField.text());
        assertEquals("inconsistent-metadata", unknownField.code());
        assertEquals(JSON.readTree("""
                [{"object": "remote schema profiles, relationship Profile.author", "dependency": "remote schema profiles",
                  "reason": "field 'authorid' not found in type: 'Profile'"}]"""), unknownField.json().path("problems"));
        Response unknownRemoteArgument = put(list + "/Profile/self", toSelf.replace("$authorId", "$author"), null);
        assertEquals(400, unknownRemoteArgument.status(), unknownRemoteArgument.text());
        assertEquals("remote schema profiles, relationship Profile.self", unknownRemoteArgument.json().at("/problems/0/object").asText());
        Response unknownType = put(list + "/Nope/author", toAuthor, null);
        assertEquals(400, unknownType.status(), unknownType.text());
        assertEquals("type 'Nope' not found in the remote schema", unknownType.json().at("/problems/0/reason").asText());
        Response undeclared = put(list + "/Profile/other", toSelf.replace("\"profiles\"", "\"nope\""), null);
        assertEquals(400, undeclared.status(), undeclared.text());
        assertEquals("the remote schema is not declared", undeclared.json().at("/problems/0/reason").asText());
        Response malformed = put(path, "{\"on\": {\"authorId\": \"id\"}}", null);
        assertEquals(400, malformed.status(), malformed.text());
        assertEquals("invalid-metadata", malformed.code());
        assertEquals("invalid-json", put(path, "{\"object\": ", null).code());
        assertEquals("\"5\"", get("/metadata").etag(), "refused writes change nothing");

        Response noType = get(list + "/Nope/author");
        assertEquals(404, noType.status());
        assertEquals("remote schema 'profiles' has no relationships on type 'Nope'", noType.json().path("message").asText());
        Response noRelationship = get(list + "/Profile/nope");
        assertEquals(404, noRelationship.status());
        assertEquals("remote schema 'profiles' has no relationship 'nope' on type 'Profile'", noRelationship.json().path("message").asText());
        assertEquals(404, delete(list + "/Profile/nope").status());
        assertEquals(404, get("/remote-schemas/nope/relationships/Profile/author").status());

        Response deleted = delete(path);
        assertEquals(200, deleted.status(), deleted.text());
        assertEquals(JSON.readTree("{\"deleted\": \"remote schema profiles, relationship Profile.author\", \"cascaded\": []}"), deleted.json());
        assertEquals(404, get(path).status());
        assertEquals(404, delete(path).status());
        assertEquals(JSON.readTree("{\"Profile\": {\"self\": " + toSelf + "}}"), get(list).json(), "the type's other relationships stay");
        assertEquals(200, delete(list + "/Profile/self").status());
        assertEquals(JSON.readTree("{}"), get(list).json(), "a type left without relationships is removed");
        assertEquals(404, get(list + "/Profile/self").status());
        assertEquals(new RemoteSchemaConfig("profiles", new ValueFrom(PROFILES_URL, null), null, false, null, null, null),
                remoteSchema(get("/remote-schemas/profiles")), "the rest of the remote schema is as it was");
    }

    @Test
    void aDocumentWithARemoteRelationshipToAnUndeclaredRemoteIsRefused() throws Exception {
        Response response = putDocument(BLOG_WITH_PROFILES.replace("\"remote_schema\": \"profiles\"", "\"remote_schema\": \"profile\""));
        assertEquals(400, response.status(), response.text());
        assertEquals(List.of("table author, remote relationship profile", "table article, remote relationship authorProfile"),
                response.json().path("problems").findValuesAsText("object"));
        assertEquals("\"0\"", get("/metadata").etag(), "nothing was written");
    }

    @Test
    void deletingARemoteSchemaInUseNeedsCascadeWhichSaysWhatItRemoved() throws Exception {
        Response setUp = putDocument(BLOG_WITH_PROFILES);
        assertEquals(200, setUp.status(), setUp.text());
        Response refused = delete("/remote-schemas/profiles");
        assertEquals(409, refused.status(), refused.text());
        assertEquals("dependents-exist", refused.code());
        assertEquals(JSON.readTree("[\"table author, remote relationship profile\", \"table article, remote relationship authorProfile\"]"),
                refused.json().path("dependents"));
        assertEquals("\"1\"", get("/metadata").etag(), "a refused delete changes nothing");

        Response cascaded = delete("/remote-schemas/profiles?cascade=true");
        assertEquals(200, cascaded.status(), cascaded.text());
        assertEquals(JSON.readTree("""
                {"deleted": "remote schema profiles",
                 "cascaded": ["table author, remote relationship profile", "table article, remote relationship authorProfile"]}"""),
                cascaded.json());
        assertEquals(JSON.readTree("[]"), get("/remote-schemas").json());
        assertEquals(MetadataCodec.parse(BLOG), MetadataCodec.parse(get("/metadata").text()), "everything else stays");
    }

    @Test
    void untrackingATableARemoteSchemaJoinsToNeedsCascadeToo() throws Exception {
        putDocument(BLOG_WITH_PROFILES);
        Response refused = delete("/sources/default/tables/author");
        assertEquals(409, refused.status(), refused.text());
        assertEquals(JSON.readTree("""
                ["table article, relationship author", "table article, select permission user", "remote schema profiles, relationship Profile.author"]"""),
                refused.json().path("dependents"));

        Response cascaded = delete("/sources/default/tables/author?cascade=true");
        assertEquals(200, cascaded.status(), cascaded.text());
        assertEquals(refused.json().path("dependents"), cascaded.json().path("cascaded"));
        assertEquals(Map.of(), remoteSchema(get("/remote-schemas/profiles")).relationships(), "Profile.author went with the table");
        assertEquals(List.of("authorProfile"), iterate(get("/sources/default/tables/article/remote-relationships").json().fieldNames()),
                "other tables' remote relationships stay");
    }

    @Test
    void remoteResourcesAllowOnlyTheirMethods() throws Exception {
        Response list = send(sidecarA, "POST", "/remote-schemas", "{}", SECRET, "application/json");
        assertEquals(405, list.status());
        assertEquals("GET", list.headers().firstValue("Allow").orElseThrow());
        Response one = send(sidecarA, "PATCH", "/sources/default/tables/author/remote-relationships/profile", "{}", SECRET, "application/json");
        assertEquals(405, one.status());
        assertEquals("DELETE, GET, PUT", one.headers().firstValue("Allow").orElseThrow());
    }
}
