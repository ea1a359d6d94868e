package io.joinery.it.support;

import io.joinery.proxy.Sidecar;
import io.joinery.proxy.config.JoineryConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole sidecar ({@link Sidecar#start}) on free ports, serving a database with metadata from the test
 * classpath, one per test class:
 *
 * <pre>{@code
 * static TestDatabase db;
 * static TestSidecar sidecar;
 * @BeforeAll static void start() {
 *     db = TestDatabase.create("queries").load("/it/schema.sql");
 *     sidecar = TestSidecar.start(db.url(), "/it/metadata.yaml");
 * }
 * @AfterAll static void stop() { sidecar.close(); db.close(); }
 * }</pre>
 *
 * It runs with an admin secret ({@link #ADMIN_SECRET}), which {@link #client()} sends, and with
 * {@code anonymous} as the role of callers without it (like Hasura's unauthorized role).
 */
public final class TestSidecar implements AutoCloseable {

    public static final String ADMIN_SECRET = "it-admin-secret";
    public static final String UNAUTHORIZED_ROLE = "anonymous";

    private final Sidecar sidecar;
    private final Path metadata;

    private TestSidecar(Sidecar sidecar, Path metadata) {
        this.sidecar = sidecar;
        this.metadata = metadata;
    }

    public static TestSidecar start(String databaseUrl, String metadataResource) {
        return start(databaseUrl, metadataResource, Map.of());
    }

    /** {@code env} adds or overrides variables, e.g. {@code JOINERY_MAX_DEPTH} or {@code JOINERY_POOL_SIZE}. */
    public static TestSidecar start(String databaseUrl, String metadataResource, Map<String, String> env) {
        Path metadata = copyToFile(metadataResource);
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("JOINERY_DATABASE_URL", databaseUrl);
        variables.put("JOINERY_METADATA", metadata.toString());
        variables.put("JOINERY_ADMIN_SECRET", ADMIN_SECRET);
        variables.put("JOINERY_UNAUTHORIZED_ROLE", UNAUTHORIZED_ROLE);
        variables.putAll(env);
        try {
            return new TestSidecar(Sidecar.start(JoineryConfig.load(variables).withPorts(0, 0), variables), metadata);
        } catch (RuntimeException e) {
            deleteQuietly(metadata);
            throw e;
        }
    }

    /** A client of {@code /v1/graphql} that sends the admin secret. */
    public GraphqlClient client() {
        return new GraphqlClient(graphqlUri("/v1/graphql"), Map.of("x-joinery-admin-secret", ADMIN_SECRET));
    }

    public URI graphqlUri(String path) {
        return URI.create("http://127.0.0.1:" + sidecar.graphqlPort() + path);
    }

    public URI adminUri(String path) {
        return URI.create("http://127.0.0.1:" + sidecar.adminPort() + path);
    }

    public Sidecar sidecar() {
        return sidecar;
    }

    @Override
    public void close() {
        try {
            sidecar.close();
        } finally {
            deleteQuietly(metadata);
        }
    }

    private static Path copyToFile(String resource) {
        try (InputStream in = TestSidecar.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource + " on the test classpath");
            }
            Path file = Files.createTempFile("joinery-metadata-", resource.endsWith(".json") ? ".json" : ".yaml");
            Files.write(file, in.readAllBytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file left behind is harmless
        }
    }
}
