package io.joinery.telemetry;

/**
 * Span names and attribute keys, in one place so traces stay searchable across releases.
 *
 * <p>The server span is named after the operation type ({@link #server(String)}); the operation
 * name goes in the {@link #OPERATION_NAME} attribute, so span names keep a bounded cardinality.
 */
public final class SpanNames {
    public static final String PARSE = "graphql.parse";
    public static final String PLAN = "graphql.plan";
    public static final String COMPILE = "graphql.compile";
    public static final String DB_QUERY = "db.query";
    public static final String REMOTE_CALL = "remote.call";
    public static final String REMOTE_JOIN = "remote.join";
    public static final String ACTION_CALL = "action.call";
    /** The joins of one level of a response, all run concurrently; each join nests under it. */
    public static final String JOIN_LEVEL = "join.level";
    /** A table joined into remote answers or from another source: its keyed statement nests under it. */
    public static final String TABLE_JOIN = "table.join";
    /** An HTTP call to a remote (semantic conventions: the span of an HTTP client call is named after its method). */
    public static final String HTTP_POST = "POST";

    /** Server span name when the operation type is not known (the document did not parse). */
    public static final String UNKNOWN_OPERATION = "graphql";

    public static final String OPERATION_TYPE = "graphql.operation.type";
    public static final String OPERATION_NAME = "graphql.operation.name";
    public static final String ROLE = "joinery.role";
    public static final String SOURCE = "joinery.source";
    public static final String REMOTE = "joinery.remote";
    public static final String ACTION = "joinery.action";
    public static final String JOIN_KEYS = "joinery.join.keys";
    public static final String ERROR_CODE = "joinery.error.code";
    /** The relationship a join follows, as metadata names it. */
    public static final String JOIN_RELATIONSHIP = "joinery.join.relationship";
    /** What a join brings: a remote schema's name, or a table ({@code default/public.author}). */
    public static final String JOIN_TARGET = "joinery.join.target";
    /** How the keys travel: {@code per-key}, {@code list-argument}, {@code entities}, {@code table}. */
    public static final String JOIN_FORM = "joinery.join.form";
    /** The level of a join in the response: 1 for joins into root fields, 2 for joins inside what those brought, … */
    public static final String JOIN_LEVEL_NUMBER = "joinery.join.level";
    /** Distinct keys of a join, after deduplication: what goes to the remote or the statement. */
    public static final String JOIN_DISTINCT_KEYS = "joinery.join.distinct_keys";
    /** The calls a join makes: one, or more when its distinct keys exceed the remote's batch size. */
    public static final String JOIN_CHUNKS = "joinery.join.chunks";
    /** Whether the plan came from the cache (on the request span). */
    public static final String PLAN_CACHE_HIT = "joinery.plan.cache_hit";

    // OpenTelemetry semantic conventions (database, HTTP client, server)
    public static final String DB_SYSTEM = "db.system.name";
    public static final String DB_NAMESPACE = "db.namespace";
    public static final String DB_OPERATION = "db.operation.name";
    /** Set only when {@link TelemetryOptions#queryText()} opts in: statements carry no values, but their text is internal. */
    public static final String DB_QUERY_TEXT = "db.query.text";
    public static final String SERVER_ADDRESS = "server.address";
    public static final String SERVER_PORT = "server.port";
    public static final String HTTP_METHOD = "http.request.method";
    public static final String HTTP_STATUS = "http.response.status_code";
    public static final String URL_FULL = "url.full";
    public static final String ERROR_TYPE = "error.type";

    private SpanNames() {
    }

    /**
     * The server span's name: {@code query}, {@code mutation} or {@code subscription} (any case
     * accepted, so graphql-java's {@code QUERY} works), {@value #UNKNOWN_OPERATION} otherwise.
     */
    public static String server(String operationType) {
        if ("query".equalsIgnoreCase(operationType)) {
            return "query";
        }
        if ("mutation".equalsIgnoreCase(operationType)) {
            return "mutation";
        }
        if ("subscription".equalsIgnoreCase(operationType)) {
            return "subscription";
        }
        return UNKNOWN_OPERATION;
    }
}
