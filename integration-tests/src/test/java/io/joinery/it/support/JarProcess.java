package io.joinery.it.support;

import java.io.IOException;
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

/**
 * {@code java -jar proxy/target/joinery.jar} in a process of its own, as an operator runs it: its
 * environment is the given one (no {@code JOINERY_*} or {@code OTEL_*} of the test's), ports 0 unless
 * given, its output collected. {@link #listening()} waits for the listeners' line, which comes before
 * the sidecar is ready (the start may still wait for its databases). The output goes to a file, read
 * whole by {@link #output()}.
 */
public final class JarProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+) \\(GraphQL\\) and [^:]+:(\\d+) \\(admin\\)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path log;
    private volatile int graphqlPort;
    private volatile int adminPort;

    private JarProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The jar the build made ({@code joinery.jar} system property, set by this module's pom). */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("joinery.jar", "../proxy/target/joinery.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing: build the proxy module first (./mvnw -pl integration-tests -am verify)");
        }
        return jar;
    }

    /** Runs {@code jar} with {@code arguments} in {@code directory}, with {@code env} and free ports. */
    public static JarProcess start(Path jar, Path directory, Map<String, String> env, String... arguments) {
        return start(jar, directory, env, List.of(), arguments);
    }

    /** The same, the JVM given {@code jvmOptions} (e.g. {@link #launcherOptions()}) before {@code -jar}. */
    public static JarProcess start(Path jar, Path directory, Map<String, String> env, List<String> jvmOptions, String... arguments) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(arguments));
        Path log;
        try {
            log = Files.createTempFile("joinery-process-", ".log");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("JOINERY_") || name.startsWith("OTEL_"));
        Map<String, String> variables = new LinkedHashMap<>(Map.of("JOINERY_GRAPHQL_PORT", "0", "JOINERY_ADMIN_PORT", "0"));
        variables.putAll(env);
        builder.environment().putAll(variables);
        try {
            return new JarProcess(builder.start(), log);
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e, e);
        }
    }

    /**
     * The JVM options the launcher ({@code ./joinery --jvm-options}, README "Deploy") runs a sidecar
     * with, as a deployed sidecar has them: its defaults and its class cache. Run it with
     * {@code MALLOC_ARENA_MAX=2} in its environment, as the launcher exports it.
     */
    public static List<String> launcherOptions() {
        Path launcher = Path.of(System.getProperty("joinery.launcher", "../joinery")).toAbsolutePath().normalize();
        try {
            ProcessBuilder builder = new ProcessBuilder("bash", launcher.toString(), "--jvm-options").redirectErrorStream(true);
            builder.environment().keySet().removeIf(name -> name.startsWith("JOINERY_") || name.equals("JAVA_OPTS"));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process process = builder.start();
            String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.waitFor() != 0) {
                throw new AssertionError(launcher + " --jvm-options failed: " + printed);
            }
            List<String> words = List.of(printed.split("\\s+"));
            return words.subList(1, words.size());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits (at most 60 s) for the listeners to be up; fails with the output if the process ends first. */
    public JarProcess listening() {
        await(() -> {
            Matcher matcher = LISTENING.matcher(output());
            if (matcher.find()) {
                adminPort = Integer.parseInt(matcher.group(2));
                graphqlPort = Integer.parseInt(matcher.group(1));
            }
            return graphqlPort != 0;
        }, Duration.ofSeconds(60), "the listeners did not come up");
        return this;
    }

    /** Waits until {@code /health/ready} answers 200. */
    public JarProcess ready(Duration within) {
        await(() -> get("/health/ready").statusCode() == 200, within, "not ready");
        return this;
    }

    public int graphqlPort() {
        return graphqlPort;
    }

    public int adminPort() {
        return adminPort;
    }

    public Process process() {
        return process;
    }

    /** What the process wrote so far, standard output and error together. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** GET on the admin listener. */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path)).GET());
    }

    /** A GraphQL query on the GraphQL listener, through {@code client} (a kept-alive connection, if it has one). */
    public HttpResponse<String> graphql(HttpClient client, String query) {
        String body = "{\"query\":" + JsonTrees.write(com.fasterxml.jackson.databind.node.TextNode.valueOf(query)) + "}";
        return send(client, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + graphqlPort + "/v1/graphql"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public HttpResponse<String> graphql(String query) {
        return graphql(HTTP, query);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        return send(HTTP, request);
    }

    private HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for the process to end (at most {@code within}) and returns its exit code. */
    public int exitCode(Duration within) {
        try {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the process still runs after " + within + ":\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    /** Polls {@code condition} every 50 ms; fails with the output when {@code within} runs out or the process ends. */
    public void await(java.util.function.BooleanSupplier condition, Duration within, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            boolean met;
            try {
                met = condition.getAsBoolean();
            } catch (java.io.UncheckedIOException notYet) {
                met = false; // a listener not accepting (yet, or any more) is the condition not met
            }
            if (met) {
                return;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError(what + " within " + within + (process.isAlive() ? "" : " (the process ended)") + ":\n" + output());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
