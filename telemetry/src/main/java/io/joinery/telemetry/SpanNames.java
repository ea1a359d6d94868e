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
