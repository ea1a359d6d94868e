package io.joinery.proxy.execute;

import io.joinery.proxy.sql.SqlQuery;
import io.joinery.telemetry.RequestObservation;
import io.joinery.telemetry.SpanNames;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.Map;

/**
 * Runs one compiled statement of a request, whoever runs it (the root fields' statement of a source,
 * a table join's keyed statement): its {@code db.query} span, and its time and outcome in the metrics,
 * failures included.
 */
public final class Statements {

    private Statements() {
    }

    public static Row run(RequestObservation observation, Database database, SqlQuery sql, Tuple params) {
        long start = System.nanoTime();
        try {
            Row row = observation.inSpan(SpanNames.DB_QUERY, Map.of(SpanNames.SOURCE, database.name()), () -> database.queryRow(sql, params));
            observation.sqlExecuted(database.name(), System.nanoTime() - start, true);
            return row;
        } catch (RuntimeException e) {
            observation.sqlExecuted(database.name(), System.nanoTime() - start, false);
            throw e;
        }
    }
}
