package io.joinery.telemetry;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One line per GraphQL request on the {@value #LOGGER} logger: a JSON object with the trace id, the
 * operation's type and name, the role, the duration, the status and the error codes. Never the
 * query, its variables, the headers or a secret. {@link LogFormat}'s JSON lines carry its fields at
 * the top level; text lines carry the object as the message.
 */
final class AccessLog {
    static final String LOGGER = "joinery.access";

    private final boolean on;
    private final Logger logger = Logger.getLogger(LOGGER);

    AccessLog(boolean on) {
        this.on = on;
    }

    record Entry(String traceId, String operationType, String operationName, String role, long nanos, boolean ok,
            String[] errorCodes) {
    }

    boolean enabled() {
        return on && logger.isLoggable(Level.INFO);
    }

    void write(Entry entry) {
        StringBuilder line = new StringBuilder(192).append('{');
        Json.field(line, "trace_id", entry.traceId()).append(',');
        Json.field(line, "operation_type", entry.operationType()).append(',');
        Json.field(line, "operation_name", entry.operationName()).append(',');
        Json.field(line, "role", entry.role()).append(',');
        line.append("\"duration_ms\":").append(Math.round(entry.nanos() / 1_000.0) / 1_000.0).append(',');
        Json.field(line, "status", entry.ok() ? "ok" : "error").append(",\"error_codes\":[");
        for (int i = 0; i < entry.errorCodes().length; i++) {
            Json.string(line.append(i > 0 ? "," : ""), entry.errorCodes()[i]);
        }
        line.append("]}");
        LogRecord record = new LogRecord(Level.INFO, line.toString());
        record.setLoggerName(LOGGER);
        logger.log(record);
    }
}
