package io.joinery.it.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A test class's own database, loaded from a schema script, and a sidecar serving a metadata file
 * over it — started before the class's tests and closed after them, sidecar first:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final SidecarOnDatabase served = SidecarOnDatabase.of("queries", "/it/schema.sql", "/it/metadata.yaml");
 * ... served.client().query("{ author { id } }") ...
 * </pre>
 *
 * {@link #recorded()} puts a {@link StatementRecorder} between them and gives the sidecar one
 * connection, so a repeated query meets the statement it prepared before.
 */
public final class SidecarOnDatabase implements BeforeAllCallback, AfterAllCallback {

    private final String prefix;
    private final String schema;
    private final String metadata;
    private final Map<String, String> env;
    private final boolean recorded;
    private TestDatabase database;
    private StatementRecorder recorder;
    private TestSidecar sidecar;

    private SidecarOnDatabase(String prefix, String schema, String metadata, Map<String, String> env, boolean recorded) {
        this.prefix = prefix;
        this.schema = schema;
        this.metadata = metadata;
        this.env = env;
        this.recorded = recorded;
    }

    /** A database {@code <prefix>_<random>} loaded from {@code schema}, served with {@code metadata} (test classpath resources). */
    public static SidecarOnDatabase of(String prefix, String schema, String metadata) {
        return new SidecarOnDatabase(prefix, schema, metadata, Map.of(), false);
    }

    /** The same, with a statement recorder in front of the database and a pool of one connection. */
    public SidecarOnDatabase recorded() {
        Map<String, String> single = new LinkedHashMap<>(env);
        single.put("JOINERY_POOL_SIZE", "1");
        return new SidecarOnDatabase(prefix, schema, metadata, single, true);
    }

    /** The same, with these settings added, e.g. {@code JOINERY_LIVE_QUERIES_REFETCH_INTERVAL_MS}. */
    public SidecarOnDatabase with(Map<String, String> settings) {
        Map<String, String> more = new LinkedHashMap<>(env);
        more.putAll(settings);
        return new SidecarOnDatabase(prefix, schema, metadata, more, recorded);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        database = TestDatabase.create(prefix).load(schema);
        String url = database.url();
        if (recorded) {
            recorder = StatementRecorder.forward(url);
            url = recorder.url(url);
        }
        sidecar = TestSidecar.start(url, metadata, env);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try (TestDatabase closingDatabase = database; StatementRecorder closingRecorder = recorder; TestSidecar closingSidecar = sidecar) {
            // closes the sidecar, then the recorder, then the database (resources close in reverse order)
        }
    }

    public TestDatabase database() {
        return database;
    }

    public TestSidecar sidecar() {
        return sidecar;
    }

    /** The statement recorder; only with {@link #recorded()}. */
    public StatementRecorder recorder() {
        if (recorder == null) {
            throw new IllegalStateException("this sidecar has no statement recorder: register it with recorded()");
        }
        return recorder;
    }

    /** A client of {@code /v1/graphql} that sends the admin secret. */
    public GraphqlClient client() {
        return sidecar.client();
    }
}
