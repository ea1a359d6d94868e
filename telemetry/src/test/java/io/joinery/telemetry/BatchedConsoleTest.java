package io.joinery.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchedConsoleTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final Formatter lines = new Formatter() {
        @Override
        public String format(LogRecord record) {
            return record.getLevel() + " " + record.getMessage() + "\n";
        }
    };

    private String written() {
        synchronized (out) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void infoLinesAreWrittenByTheWriterAndAWarningAtOnceWithWhatCameBeforeIt() throws Exception {
        BatchedConsole console = new BatchedConsole(out, Level.INFO, lines);
        console.publish(new LogRecord(Level.INFO, "one"));
        console.publish(new LogRecord(Level.INFO, "two"));
        console.publish(new LogRecord(Level.FINE, "below the level"));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (written().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals("INFO one\nINFO two\n", written());

        console.publish(new LogRecord(Level.INFO, "three"));
        console.publish(new LogRecord(Level.WARNING, "four"));
        assertEquals("INFO one\nINFO two\nINFO three\nWARNING four\n", written(), "a warning is written before publish returns");
        console.close();
    }

    @Test
    void closingWritesWhatIsLeftAndLaterLinesAreWrittenAtOnce() {
        BatchedConsole console = new BatchedConsole(out, Level.INFO, lines);
        console.publish(new LogRecord(Level.INFO, "pending"));
        console.close();
        assertEquals("INFO pending\n", written());
        console.publish(new LogRecord(Level.INFO, "after close"));
        assertEquals("INFO pending\nINFO after close\n", written());
    }

    @Test
    void linesFromManyThreadsAreAllWrittenWholeAndEachThreadsInItsOrder() throws Exception {
        BatchedConsole console = new BatchedConsole(out, Level.INFO, lines);
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                int thread = t;
                threads.submit(() -> IntStream.range(0, 2_000)
                    .forEach(i -> console.publish(new LogRecord(Level.INFO, thread + ":" + i))));
            }
        }
        console.close();
        List<String> written = written().lines().toList();
        assertEquals(16_000, written.size());
        for (int t = 0; t < 8; t++) {
            String prefix = "INFO " + t + ":";
            List<String> own = written.stream().filter(line -> line.startsWith(prefix)).toList();
            assertEquals(IntStream.range(0, 2_000).mapToObj(i -> prefix + i).toList(), own);
        }
        assertTrue(written.stream().allMatch(line -> line.matches("INFO \\d:\\d+")));
    }
}
