package io.joinery.proxy.execute;

import io.joinery.proxy.sql.SqlQuery;
import io.joinery.telemetry.RequestObservation;
import io.joinery.telemetry.SpanNames;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.Map;

/**
 * Runs one compiled statement of a request, whoever runs it (the root fields' statement of a source,
 * a table join's keyed statement): its {@code db.query} span with the semantic conventions' attributes, and its time and outcome in the metrics,
 * failures included.
 */
public final class Statements {

    private Statements() {
    }

    public static Row run(RequestObservation observation, Database database, SqlQuery sql, Tuple params) {
        return observed(observation, database, sql, () -> database.queryRow(sql, params));
    }

    /** A statement that returns rows flat (Note [Flat rows] in {@code SqlCompiler}): all of them. */
    public static RowSet<Row> runRows(RequestObservation observation, Database database, SqlQuery sql, Tuple params) {
        return observed(observation, database, sql, () -> database.queryRows(sql, params));
    }

    private static <T> T observed(RequestObservation observation, Database database, SqlQuery sql, java.util.function.Supplier<T> statement) {
        long start = System.nanoTime();
        try {
            T result = observation.inSpan(SpanNames.DB_QUERY, attributes(database, sql), statement);
            observation.sqlExecuted(database.name(), System.nanoTime() - start, true);
            return result;
        } catch (RuntimeException e) {
            observation.sqlExecuted(database.name(), System.nanoTime() - start, false);
            throw e;
        }
    }

    /**
     * A statement's span attributes (semantic conventions): the database, its server, the operation,
     * and the text, which telemetry keeps only when opted in (it has no values: they are bind parameters).
     */
    private static Map<String, Object> attributes(Database database, SqlQuery sql) {
        String text = sql.text();
        return Map.of(SpanNames.SOURCE, database.name(),
                SpanNames.DB_SYSTEM, "postgresql",
                SpanNames.DB_NAMESPACE, database.databaseName(),
                SpanNames.DB_OPERATION, operation(text),
                SpanNames.SERVER_ADDRESS, database.host(),
                SpanNames.SERVER_PORT, database.port(),
                SpanNames.DB_QUERY_TEXT, text);
    }

    private static final java.util.List<String> OPERATIONS = java.util.List.of("SELECT", "WITH", "INSERT", "UPDATE", "DELETE");

    /** The statement's first word in capitals ({@code db.operation.name}); the usual ones without a new string per statement. */
    static String operation(String text) {
        int space = text.indexOf(' ');
        int end = space < 0 ? text.length() : space;
        for (String keyword : OPERATIONS) {
            if (end == keyword.length() && text.regionMatches(true, 0, keyword, 0, end)) {
                return keyword;
            }
        }
        return text.substring(0, end).toUpperCase(java.util.Locale.ROOT);
    }
}
