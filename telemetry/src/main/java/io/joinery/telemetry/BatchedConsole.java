package io.joinery.telemetry;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * The process's console handler: log lines to standard error, written in batches.
 *
 * <p>Note [Log lines written in batches]: the JDK's {@code ConsoleHandler} writes and flushes every
 * record under its lock, one {@code write(2)} per line; with an access-log line per request that is
 * a system call per request, made while every other request that logs waits for the lock (7% of the
 * sidecar's CPU samples at Q1, and a queue on the lock under load). Here a record is formatted on its
 * caller's thread and appended to a buffer, and one thread writes what gathered at most
 * {@link #WAIT_MILLIS} ms later, or at once past {@link #BATCH_CHARS} characters, as Envoy and nginx
 * buffer their access logs. A WARNING or SEVERE record is written before {@code publish} returns,
 * with everything before it, so a failure is never left in a buffer; closing (the JDK's logging
 * shutdown hook) writes what is left. Lines keep their order. A process killed with SIGKILL loses at
 * most the last {@link #WAIT_MILLIS} ms of INFO lines.
 */
final class BatchedConsole extends Handler {
    static final long WAIT_MILLIS = 100;
    static final int BATCH_CHARS = 16 * 1024;

    private final PrintStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition gathered = lock.newCondition();
    /** Held while a batch is taken and written, so that batches reach the stream in order. */
    private final Object writing = new Object();
    private StringBuilder pending = new StringBuilder(BATCH_CHARS);
    private boolean closed;

    BatchedConsole(PrintStream out, Level level, Formatter formatter) {
        this.out = out;
        setLevel(level);
        setFormatter(formatter);
        Thread.ofPlatform().daemon().name("joinery-log-writer").start(this::writeBatches);
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        String line;
        try {
            line = getFormatter().format(record);
        } catch (RuntimeException e) {
            reportError(null, e, ErrorManager.FORMAT_FAILURE);
            return;
        }
        boolean now = record.getLevel().intValue() >= Level.WARNING.intValue();
        lock.lock();
        try {
            if (closed) {
                now = true;
            }
            pending.append(line);
            if (pending.length() >= BATCH_CHARS) {
                now = true;
            } else if (pending.length() == line.length()) {
                gathered.signal();
            }
        } finally {
            lock.unlock();
        }
        if (now) {
            flush();
        }
    }

    /** Writes what gathered. */
    @Override
    public void flush() {
        synchronized (writing) {
            String batch;
            lock.lock();
            try {
                if (pending.isEmpty()) {
                    return;
                }
                batch = pending.toString();
                pending = new StringBuilder(BATCH_CHARS);
            } finally {
                lock.unlock();
            }
            out.print(batch);
            out.flush();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            gathered.signal();
        } finally {
            lock.unlock();
        }
        flush();
    }

    /** The writer: waits for a first line, lets more gather for {@link #WAIT_MILLIS} ms, writes them. */
    private void writeBatches() {
        while (true) {
            lock.lock();
            try {
                while (pending.isEmpty() && !closed) {
                    gathered.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            try {
                TimeUnit.MILLISECONDS.sleep(WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            flush();
        }
    }
}
