package io.joinery.it;

import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The process fails safe, run as operators run it ({@code io.joinery.proxy.Main} in a JVM of its own):
 * SIGTERM ends it even with a client stalled mid-request, and an OutOfMemoryError ends it (exit code
 * 3, as {@code -XX:+ExitOnOutOfMemoryError}) or, when told to stay up, makes {@code /health/live} fail.
 * The heap is made small and a request body big, so the error comes through the real request path.
 */
class ProcessSafetyTest {

    private static final Pattern LISTENING = Pattern.compile("serves GraphQL on http://127\\.0\\.0\\.1:(\\d+)/v1/graphql and its admin API on http://127\\.0\\.0\\.1:(\\d+)");
    private static final String SECRET = "process-secret";
    private static TestDatabase db;
    private static Path metadata;

    @BeforeAll
    static void createDatabase() throws IOException {
        db = TestDatabase.create("process").load("/it/schema.sql");
        metadata = Files.createTempFile("joinery-process-", ".yaml");
        try (InputStream in = ProcessSafetyTest.class.getResourceAsStream("/it/metadata.yaml")) {
            Files.write(metadata, in.readAllBytes());
        }
    }

    @AfterAll
    static void dropDatabase() throws IOException {
        db.close();
        Files.deleteIfExists(metadata);
    }

    @Test
    void sigtermEndsTheProcessEvenWithAClientStalledMidRequest() throws Exception {
        try (Sidecar sidecar = Sidecar.start(List.of(), Map.of());
             Socket stalled = new Socket("127.0.0.1", sidecar.graphqlPort)) {
            OutputStream out = stalled.getOutputStream();
            out.write(("POST /v1/graphql HTTP/1.1\r\nHost: joinery\r\nX-Joinery-Admin-Secret: " + SECRET
                    + "\r\nContent-Length: 1000\r\n\r\n{\"query\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            sidecar.process.destroy();
            assertTrue(sidecar.process.waitFor(30, TimeUnit.SECONDS), "SIGTERM did not end the process within 30 s:\n" + sidecar.output());
            // 0: drained and closed within the grace; 1: halted when it ran out (GracefulShutdownTest shows that path)
            assertTrue(sidecar.process.exitValue() == 0 || sidecar.process.exitValue() == 1, sidecar.process.exitValue() + ": " + sidecar.output());
        }
    }

    @Test
    void anOutOfMemoryErrorEndsTheProcess() throws Exception {
        try (Sidecar sidecar = Sidecar.start(List.of("-Xmx96m"), Map.of("JOINERY_MAX_REQUEST_BYTES", "2000000000"))) {
            pushOverTheHeap(sidecar);
            assertTrue(sidecar.process.waitFor(30, TimeUnit.SECONDS), "still running 30 s after running out of memory:\n" + sidecar.output());
            assertEquals(3, sidecar.process.exitValue(), sidecar.output());
            assertTrue(sidecar.output().contains("joinery: out of memory: exiting"), sidecar.output());
        }
    }

    @Test
    void withExitOnOutOfMemoryOffLivenessFailsAfterOne() throws Exception {
        try (Sidecar sidecar = Sidecar.start(List.of("-Xmx96m"), Map.of("JOINERY_MAX_REQUEST_BYTES", "2000000000",
                "JOINERY_EXIT_ON_OUT_OF_MEMORY", "false"))) {
            HttpResponse<String> before = sidecar.live();
            assertEquals(200, before.statusCode(), before.body());
            pushOverTheHeap(sidecar);
            HttpResponse<String> after = sidecar.live();
            assertEquals(503, after.statusCode(), after.body() + "\n" + sidecar.output());
            assertTrue(JsonTrees.parse(after.body()).path("reason").asText().contains("out of memory"), after.body());
            assertTrue(sidecar.process.isAlive(), "told to stay up");
            sidecar.process.destroy();
            assertTrue(sidecar.process.waitFor(30, TimeUnit.SECONDS), "SIGTERM after an OutOfMemoryError did not end the process:\n" + sidecar.output());
        }
    }

    /** Streams a 1.5 GB body to a heap of 96 MB: the endpoint reads bodies whole, so the JVM runs out of memory. */
    private static void pushOverTheHeap(Sidecar sidecar) throws IOException {
        long length = 1_500_000_000L;
        try (Socket socket = new Socket("127.0.0.1", sidecar.graphqlPort)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/graphql HTTP/1.1\r\nHost: joinery\r\nX-Joinery-Admin-Secret: " + SECRET
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 16];
            java.util.Arrays.fill(chunk, (byte) ' ');
            for (long sent = 0; sent < length && !socket.isClosed(); sent += chunk.length) {
                out.write(chunk);
            }
        } catch (IOException e) {
            // expected: the server stops reading (it halted, or answered 500) before the body ends
            assertTrue(sidecar.process.isAlive() || sidecar.process.exitValue() == 3, "the push failed otherwise: " + e);
        }
    }

    /** A sidecar in a JVM of its own, on free ports, its output collected. */
    private record Sidecar(Process process, int graphqlPort, int adminPort, StringBuffer log) implements AutoCloseable {

        static Sidecar start(List<String> jvmOptions, Map<String, String> env) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", classpath, "io.joinery.proxy.Main"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().keySet().removeIf(name -> name.startsWith("JOINERY_") || name.startsWith("OTEL_"));
            Map<String, String> variables = new LinkedHashMap<>(Map.of("JOINERY_DATABASE_URL", db.url(), "JOINERY_METADATA", metadata.toString(),
                    "JOINERY_ADMIN_SECRET", SECRET, "JOINERY_GRAPHQL_PORT", "0", "JOINERY_ADMIN_PORT", "0"));
            variables.putAll(env);
            builder.environment().putAll(variables);
            Process process = builder.start();
            StringBuffer log = new StringBuffer();
            Object started = new Object();
            int[] ports = new int[2];
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        log.append(line).append('\n');
                        Matcher matcher = LISTENING.matcher(line);
                        if (matcher.find()) {
                            synchronized (started) {
                                ports[0] = Integer.parseInt(matcher.group(1));
                                ports[1] = Integer.parseInt(matcher.group(2));
                                started.notifyAll();
                            }
                        }
                    }
                } catch (IOException e) {
                    log.append("(reading the output failed: ").append(e).append(")\n");
                }
            });
            synchronized (started) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (ports[0] == 0 && process.isAlive() && System.nanoTime() < deadline) {
                    started.wait(200);
                }
            }
            if (ports[0] == 0) {
                process.destroyForcibly();
                throw new AssertionError("the sidecar did not start within 60 s:\n" + log);
            }
            return new Sidecar(process, ports[0], ports[1], log);
        }

        String output() {
            return log.toString();
        }

        HttpResponse<String> live() throws IOException, InterruptedException {
            try (HttpClient http = HttpClient.newHttpClient()) {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health/live"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
