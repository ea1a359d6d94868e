package io.joinery.it.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The log records of this JVM while it is open, caught at the root logger of {@code java.util.logging},
 * where the sidecar's {@code System.Logger}s write: for a test that asserts what an operator would read
 * in the log of an in-process sidecar.
 */
public final class LogCapture implements AutoCloseable {

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
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

    private LogCapture() {
    }

    /** Catches every record logged from now until {@link #close()}. */
    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture.handler);
        return capture;
    }

    /** The records caught so far, in order. */
    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** The messages caught so far at {@code WARNING}, in order. */
    public List<String> warnings() {
        return records.stream().filter(r -> r.getLevel() == Level.WARNING).map(LogRecord::getMessage).toList();
    }

    /** Forgets the records caught so far. */
    public void clear() {
        records.clear();
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }
}
