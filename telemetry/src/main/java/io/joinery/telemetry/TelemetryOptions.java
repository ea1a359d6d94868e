package io.joinery.telemetry;

/**
 * Settings of this module that are Joinery's own (the {@code OTEL_*} variables configure the rest).
 *
 * @param jsonLogs one JSON object per log line instead of one line of text
 * @param accessLog one access-log line per GraphQL request ({@code joinery.access})
 * @param queryText the SQL text of each statement on its span ({@code db.query.text}); off by default
 */
public record TelemetryOptions(boolean jsonLogs, boolean accessLog, boolean queryText) {
    public static final TelemetryOptions DEFAULT = new TelemetryOptions(false, true, false);
}
