package io.joinery.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogFormatTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void textIsOneLineWithTheTraceIdAtTheEnd() {
        LogFormat.warning("io.joinery.proxy.join.JoinStage", TRACE, "remote join 'profile' failed: down");

        String line = LogFormat.formatter(false).format(records.getFirst());
        assertTrue(line.matches("\\S+ WARNING io\\.joinery\\.proxy\\.join\\.JoinStage: remote join 'profile' failed: down trace_id="
            + TRACE + "\\R"), line);
    }

    @Test
    void jsonIsOneObjectPerLineWithTheTraceIdAsAField() {
        LogFormat.warning("io.joinery.proxy.join.JoinStage", TRACE, "a \"quoted\"\nmessage");

        String line = LogFormat.formatter(true).format(records.getFirst());
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("{\"time\":\"") && line.strip().endsWith("}"), line);
        assertTrue(line.contains("\"level\":\"WARNING\",\"logger\":\"io.joinery.proxy.join.JoinStage\""), line);
        assertTrue(line.contains("\"message\":\"a \\\"quoted\\\"\\nmessage\",\"trace_id\":\"" + TRACE + "\""), line);
    }

    @Test
    void theAccessLogIsOneLinePerRequestWithoutTheQueryOrHeaders() {
        try (Telemetry telemetry = Telemetry.create(java.util.Map.of())) {
            RequestObservation request = telemetry.observer().begin(null, "GetAuthors", "user",
                java.util.Map.of("traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01", "authorization", "Bearer secret")::get);
            request.parsed("query", "GetAuthors", false);
            request.error("remote-schema-error", "remote schema 'profiles': down");
            request.end();
        }

        List<LogRecord> access = records.stream().filter(r -> r.getLoggerName().equals("joinery.access")).toList();
        assertEquals(1, access.size(), records.toString());
        String json = LogFormat.formatter(true).format(access.getFirst());
        assertTrue(json.matches("\\{\"time\":\"[^\"]+\",\"level\":\"INFO\",\"logger\":\"joinery.access\",\"trace_id\":\"" + TRACE
            + "\",\"operation_type\":\"query\",\"operation_name\":\"GetAuthors\",\"role\":\"user\",\"duration_ms\":[0-9.]+,"
            + "\"status\":\"error\",\"error_codes\":\\[\"remote-schema-error\"\\]\\}\\R"), json);
        assertFalse(json.contains("secret") || json.contains("profiles"), "no header, no error message: " + json);
    }

    @Test
    void anAccessLogSwitchedOffWritesNothing() {
        try (Telemetry telemetry = Telemetry.create(java.util.Map.of(), new TelemetryOptions(false, false, false))) {
            telemetry.observer().begin("query", null, "user").end();
        }
        assertTrue(records.stream().noneMatch(r -> r.getLoggerName().equals("joinery.access")), records.toString());
    }

    @Test
    void recordsOfOtherLoggersKeepTheirText() {
        LogRecord record = new LogRecord(Level.INFO, "serving {0}");
        record.setParameters(new Object[] {"metadata"});
        record.setLoggerName("io.joinery.proxy.Sidecar");
        record.setInstant(Instant.parse("2026-12-06T08:00:00Z"));
        assertEquals("2026-12-06T08:00:00Z INFO io.joinery.proxy.Sidecar: serving metadata" + System.lineSeparator(),
            LogFormat.formatter(false).format(record));
        assertEquals("{\"time\":\"2026-12-06T08:00:00Z\",\"level\":\"INFO\",\"logger\":\"io.joinery.proxy.Sidecar\",\"message\":\"serving metadata\"}"
            + System.lineSeparator(), LogFormat.formatter(true).format(record));
    }
}
