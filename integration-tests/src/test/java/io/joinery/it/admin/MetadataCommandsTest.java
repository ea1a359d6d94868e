package io.joinery.it.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.joinery.it.admin.CheckCommandTest.Run;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.TestDatabase;
import io.joinery.proxy.cli.Commands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code joinery metadata export|apply --admin-url URL} against a running sidecar: export writes
 * the stored document as YAML, apply of an edited file is served, a bad file or a wrong secret exits
 * 1 with the admin API's reason and changes nothing.
 */
class MetadataCommandsTest {

    static final String METADATA = """
            {"version": 1, "sources": [{"name": "default", "tables": [{"table": "author"}]}]}
            """;
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static TestDatabase db;
    static StoreSidecar sidecar;
    static String adminUrl;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("metadata_commands").load("/it/schema.sql");
        sidecar = StoreSidecar.start(db.url());
        adminUrl = "http://127.0.0.1:" + sidecar.sidecar().adminPort();
    }

    @AfterAll
    static void stop() {
        try (StoreSidecar closing = sidecar) {
            db.close();
        }
    }

    @BeforeEach
    void oneTable() {
        long version = sidecar.putDocument(METADATA).expect(200).etagVersion();
        DriftTest.awaitVersion(sidecar.sidecar(), version);
    }

    @Test
    void anExportedFileEditedAndAppliedIsServed() throws IOException {
        Path file = dir.resolve("metadata.yaml");
        Run export = new Run(Map.of(), "metadata", "export", "--admin-url", adminUrl, "--admin-secret", StoreSidecar.SECRET,
                "--file", file.toString());
        assertEquals(Commands.OK, export.exit(), export.toString());
        JsonNode exported = YAML.readTree(file.toFile());
        assertEquals(sidecar.get("/admin/v1/metadata").expect(200).json(), exported, "the file is the stored document");

        String edited = Files.readString(file).replace("      - table: author\n", "      - table: author\n      - table: article\n");
        assertTrue(edited.contains("table: article"), "the edit applies to the exported text:\n" + edited);
        Files.writeString(file, edited);
        long exportedVersion = sidecar.get("/admin/v1/metadata").expect(200).etagVersion();
        Run apply = new Run(Map.of("JOINERY_ADMIN_SECRET", StoreSidecar.SECRET), "metadata", "apply", "--admin-url", adminUrl,
                "--file", file.toString());
        assertEquals(Commands.OK, apply.exit(), apply.toString());
        assertTrue(apply.out().startsWith("applied " + file + " over metadata version \"" + exportedVersion + "\", metadata version \""
                + (exportedVersion + 1) + "\""), "apply sends If-Match with the version it replaces: " + apply);

        GraphqlResponse articles = sidecar.graphql().query("{ article(order_by: {id: asc}, limit: 1) { title } }");
        assertEquals("{\"article\":[{\"title\":\"Article 1\"}]}", articles.data().toString(), articles.toString());
    }

    @Test
    void anInconsistentFileIsRefusedWithTheProblemAndChangesNothing() throws IOException {
        String before = sidecar.get("/admin/v1/metadata").expect(200).etag();
        Path file = Files.writeString(dir.resolve("bad.yaml"), "version: 1\nsources:\n  - name: default\n    tables:\n      - table: nope\n");
        Run apply = new Run(Map.of(), "metadata", "apply", "--admin-url", adminUrl, "--admin-secret", StoreSidecar.SECRET,
                "--file", file.toString());
        assertEquals(Commands.PROBLEMS, apply.exit(), apply.toString());
        assertTrue(apply.err().startsWith("apply failed: HTTP 400"), apply.toString());
        assertTrue(apply.err().contains("nope"), "the answer names the missing table: " + apply);
        assertEquals(before, sidecar.get("/admin/v1/metadata").expect(200).etag(), "nothing was written");
    }

    @Test
    void applyWithTheExportedVersionIsRefusedWhenTheMetadataMovedSince() throws IOException {
        Path file = dir.resolve("metadata.yaml");
        Run export = new Run(Map.of(), "metadata", "export", "--admin-url", adminUrl, "--admin-secret", StoreSidecar.SECRET,
                "--file", file.toString());
        assertEquals(Commands.OK, export.exit(), export.toString());
        long exported = sidecar.get("/admin/v1/metadata").expect(200).etagVersion();
        sidecar.put("/admin/v1/sources/default/tables/article", "{}").expect(201);

        Run apply = new Run(Map.of(), "metadata", "apply", "--admin-url", adminUrl, "--admin-secret", StoreSidecar.SECRET,
                "--file", file.toString(), "--if-match", Long.toString(exported));
        assertEquals(Commands.PROBLEMS, apply.exit(), apply.toString());
        assertTrue(apply.err().startsWith("apply failed: HTTP 412"), apply.toString());
        JsonNode stored = sidecar.get("/admin/v1/metadata").expect(200).json();
        assertTrue(stored.toString().contains("\"article\""), "the table added after the export is still there: " + stored);
    }

    @Test
    void aWrongSecretExitsOneWithTheStatus() {
        Run export = new Run(Map.of(), "metadata", "export", "--admin-url", adminUrl, "--admin-secret", "wrong");
        assertEquals(Commands.PROBLEMS, export.exit(), export.toString());
        assertTrue(export.err().startsWith("export failed: HTTP 401"), export.toString());
    }

    @Test
    void anUnreachableAdminUrlExitsTwoNamingIt() {
        Run export = new Run(Map.of(), "metadata", "export", "--admin-url", "http://127.0.0.1:1");
        assertEquals(Commands.USAGE, export.exit(), export.toString());
        assertTrue(export.err().contains("cannot reach the admin API"), export.toString());
    }
}
