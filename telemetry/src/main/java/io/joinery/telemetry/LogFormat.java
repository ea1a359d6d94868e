package io.joinery.telemetry;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The shape of the process's log lines (java.util.logging, where {@code System.Logger} goes): one
 * line of text per record by default (time, level, logger, message, {@code trace_id=} when the
 * record concerns a request), or one JSON object per line ({@link TelemetryOptions#jsonLogs()}) with
 * {@code time}, {@code level}, {@code logger}, {@code message}, {@code trace_id} and
 * {@code exception}; the access log's fields ({@link AccessLog}) are top-level fields of its lines.
 *
 * <p>Install it at start, and again once the web server started: Helidon resets the logging as it
 * starts.
 */
public final class LogFormat {

    private LogFormat() {
    }

    /**
     * Puts the formatter on every handler of the root logger; the JDK's console handler is replaced by
     * one that writes in batches (Note [Log lines written in batches] in {@link BatchedConsole}).
     */
    public static void install(boolean json) {
        Formatter formatter = formatter(json);
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            if (handler instanceof ConsoleHandler console) {
                root.addHandler(new BatchedConsole(System.err, console.getLevel(), formatter));
                root.removeHandler(console);
                console.close();
            } else {
                handler.setFormatter(formatter);
            }
        }
    }

    /** The formatter of JSON lines, or of text lines. */
    public static Formatter formatter(boolean json) {
        return json ? new JsonLines() : new TextLines();
    }

    /**
     * Logs a warning about one request, with its trace id: {@code trace_id=…} at the end of a text
     * line, a field of a JSON line.
     */
    public static void warning(String logger, String traceId, String message) {
        LogRecord record = new LogRecord(Level.WARNING, message);
        record.setLoggerName(logger);
        record.setParameters(new Object[] {new TraceId(traceId)});
        Logger.getLogger(logger).log(record);
    }

    /** The parameter of a record that names its request's trace. */
    record TraceId(String id) {
    }

    static String traceId(LogRecord record) {
        Object[] parameters = record.getParameters();
        return parameters != null && parameters.length == 1 && parameters[0] instanceof TraceId trace ? trace.id() : null;
    }

    static String stackTrace(Throwable thrown) {
        StringWriter out = new StringWriter();
        thrown.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    /** {@code 2026-12-06T08:30:00.123Z WARNING io.joinery.proxy.Sidecar: message trace_id=…}, then a stack trace if any. */
    static final class TextLines extends Formatter {
        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder(128).append(record.getInstant()).append(' ')
                .append(record.getLevel().getName()).append(' ').append(record.getLoggerName()).append(": ")
                .append(traceId(record) == null ? formatMessage(record) : record.getMessage());
            String trace = traceId(record);
            if (trace != null) {
                line.append(" trace_id=").append(trace);
            }
            line.append(System.lineSeparator());
            if (record.getThrown() != null) {
                line.append(stackTrace(record.getThrown()));
            }
            return line.toString();
        }
    }

    /** One JSON object per line. */
    static final class JsonLines extends Formatter {
        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder(192).append('{');
            Json.field(line, "time", Instant.ofEpochMilli(record.getMillis()).toString()).append(',');
            Json.field(line, "level", record.getLevel().getName()).append(',');
            Json.field(line, "logger", record.getLoggerName());
            String message = record.getMessage();
            if (AccessLog.LOGGER.equals(record.getLoggerName()) && message != null && message.startsWith("{")) {
                line.append(',').append(message, 1, message.length());
                return line.append(System.lineSeparator()).toString();
            }
            String trace = traceId(record);
            Json.field(line.append(','), "message", trace == null ? formatMessage(record) : message);
            if (trace != null) {
                Json.field(line.append(','), "trace_id", trace);
            }
            if (record.getThrown() != null) {
                Json.field(line.append(','), "exception", stackTrace(record.getThrown()));
            }
            return line.append('}').append(System.lineSeparator()).toString();
        }
    }
}
