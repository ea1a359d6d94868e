package io.joinery.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real headless Chromium (Debian's {@code chromium}, or {@code JOINERY_CHROMIUM}) driven over the
 * Chrome DevTools Protocol with the JDK's own HTTP client and WebSocket: one page, navigated, typed
 * into ({@code Input.insertText}, as a keyboard would), evaluated and photographed. No driver library:
 * the few protocol commands a test needs are here. The browser runs in a new profile directory with
 * the flags a closed network needs (no background networking, no component updates, no sync).
 *
 * <p>No Chromium on the machine is a failure that says so, never a skipped test: CI installs it
 * ({@code .ci/run}), as a developer does with {@code apt-get install chromium}.
 */
public final class Chromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://[^\\s]+)");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** The browser's executable: {@code JOINERY_CHROMIUM}, else {@code /usr/bin/chromium}. */
    public static Path executable() {
        return Path.of(System.getenv().getOrDefault("JOINERY_CHROMIUM", "/usr/bin/chromium"));
    }

    /** Starts Chromium headless with one blank page, and attaches to that page. */
    public static Chromium start() throws IOException {
        Path executable = executable();
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("no Chromium at " + executable + ": the console tests need a real browser;"
                    + " install it (apt-get install -y chromium; .ci/run does) or point JOINERY_CHROMIUM at one");
        }
        Path profile = Files.createTempDirectory("joinery-chromium");
        Process process = new ProcessBuilder(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900", "--remote-debugging-port=0", "--remote-allow-origins=*",
                "--user-data-dir=" + profile.resolve("profile"), "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile())
                .start();
        try {
            URI browser = URI.create(devtoolsUrl(process, profile.resolve("chromium.log")));
            URI list = URI.create("http://" + browser.getAuthority() + "/json/list");
            HttpClient http = HttpClient.newHttpClient();
            JsonNode pages = JSON.readTree(http.send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString()).body());
            String page = null;
            for (JsonNode target : pages) {
                if ("page".equals(target.path("type").asText())) {
                    page = target.path("webSocketDebuggerUrl").asText();
                }
            }
            if (page == null) {
                throw new IllegalStateException("Chromium opened no page: " + pages);
            }
            Chromium[] self = new Chromium[1];
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(page), new Listener(self)).get(10, TimeUnit.SECONDS);
            self[0] = new Chromium(process, profile, socket);
            self[0].send("Page.enable", JSON.createObjectNode());
            self[0].send("Runtime.enable", JSON.createObjectNode());
            self[0].send("Log.enable", JSON.createObjectNode());
            return self[0];
        } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            process.destroyForcibly();
            throw new IllegalStateException("Chromium did not start: " + e, e);
        }
    }

    private static String devtoolsUrl(Process process, Path log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && process.isAlive()) {
            Matcher matcher = DEVTOOLS.matcher(Files.readString(log));
            if (matcher.find()) {
                return matcher.group(1);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("Chromium printed no DevTools address; its output:\n" + Files.readString(log));
    }

    /** Loads {@code url} and waits until its document has loaded. */
    public void open(URI url) {
        send("Page.navigate", JSON.createObjectNode().put("url", url.toString()));
        await("the page " + url + " loaded", () -> "complete".equals(evaluate("document.readyState").asText()));
    }

    /** The value of a JavaScript expression in the page (a promise is awaited). */
    public JsonNode evaluate(String expression) {
        JsonNode result = send("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("the page threw evaluating " + expression + ": " + result.path("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Types {@code text} into whatever has the focus, as a keyboard (an input method) would. */
    public void type(String text) {
        send("Input.insertText", JSON.createObjectNode().put("text", text));
    }

    /** Clicks the middle of the first element matching {@code selector} with the mouse. */
    public void click(String selector) {
        JsonNode box = evaluate("(() => { const r = document.querySelector(" + JSON.valueToTree(selector)
                + ").getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
        for (String type : List.of("mousePressed", "mouseReleased")) {
            send("Input.dispatchMouseEvent", JSON.createObjectNode().put("type", type).put("x", box.path("x").asDouble())
                    .put("y", box.path("y").asDouble()).put("button", "left").put("clickCount", 1));
        }
    }

    /** Waits up to 30 s for {@code condition}, then fails naming {@code what}. */
    public void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** Writes a PNG of the page as it looks now. */
    public void screenshot(Path file) throws IOException {
        JsonNode shot = send("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    /** What the page reported as going wrong so far: uncaught exceptions and error-level log entries (CSP violations, failed loads). */
    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    private JsonNode send(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
        command.set("params", params);
        socket.sendText(command.toString(), true).join();
        try {
            JsonNode reply = answer.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + " failed: " + reply.path("error"));
            }
            return reply.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(method + " got no answer: " + e, e);
        } finally {
            pending.remove(id);
        }
    }

    private void receive(JsonNode message) {
        if (message.has("id")) {
            CompletableFuture<JsonNode> answer = pending.get(message.path("id").asInt());
            if (answer != null) {
                answer.complete(message);
            }
            return;
        }
        switch (message.path("method").asText()) {
            case "Runtime.exceptionThrown" -> problems.add("exception: " + message.path("params").path("exceptionDetails"));
            case "Log.entryAdded" -> {
                JsonNode entry = message.path("params").path("entry");
                if ("error".equals(entry.path("level").asText())) {
                    problems.add(entry.path("source").asText() + ": " + entry.path("text").asText() + " " + entry.path("url").asText());
                }
            }
            default -> { }
        }
    }

    /**
     * Stops the browser and its helper processes, then removes the profile. Chromium's children (the
     * network service writes {@code Network Persistent State} on the way out) outlive the main process
     * by a moment, so all of them are stopped and awaited first, and a file that vanishes while the
     * profile is walked is simply already gone.
     */
    @Override
    public void close() throws IOException {
        socket.abort();
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                handle.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Files.walkFileTree(profile, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Collects the text frames of the DevTools socket into whole messages. */
    private static final class Listener implements WebSocket.Listener {
        private final Chromium[] owner;
        private final StringBuilder partial = new StringBuilder();

        Listener(Chromium[] owner) {
            this.owner = owner;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    if (owner[0] != null) {
                        owner[0].receive(JSON.readTree(text));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("Chromium sent a message that is not JSON: " + text, e);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
