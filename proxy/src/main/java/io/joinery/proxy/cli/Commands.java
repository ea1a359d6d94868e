package io.joinery.proxy.cli;

import io.joinery.admin.catalog.CatalogReader;
import io.joinery.admin.check.ConsistencyChecker;
import io.joinery.admin.check.Inconsistencies;
import io.joinery.admin.check.Problem;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.MetadataException;
import io.joinery.admin.metadata.Source;
import io.joinery.proxy.EngineChecks;
import io.joinery.proxy.execute.Database;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code joinery check --metadata FILE [--database-url URL]} and
 * {@code joinery metadata export|apply --admin-url URL [--admin-secret S] [--file FILE] [--if-match VERSION]}.
 */
public final class Commands {

    public static final int OK = 0;
    public static final int PROBLEMS = 1;
    public static final int USAGE = 2;
    /** The command that starts the demo ({@code Main} runs it: it is a sidecar start). */
    public static final String DEMO = "demo";

    private static final String USAGE_TEXT = """
            usage: java -jar joinery.jar                       start the sidecar
                   java -jar joinery.jar demo                  start the demo: tables, a federation subgraph, an action
                   java -jar joinery.jar check --metadata FILE [--database-url URL]
                   java -jar joinery.jar metadata export --admin-url URL [--admin-secret S] [--file FILE]
                   java -jar joinery.jar metadata apply --admin-url URL [--admin-secret S] --file FILE [--if-match VERSION]""";

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    public Commands(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /** Whether {@code args} name a command rather than starting the sidecar. */
    public static boolean isCommand(String[] args) {
        return args.length > 0;
    }

    public int run(String[] args) {
        try {
            return switch (args[0]) {
                case "check" -> check(options(args, 1));
                case "metadata" -> args.length > 1 && args[1].equals("export") ? export(options(args, 2))
                        : args.length > 1 && args[1].equals("apply") ? apply(options(args, 2)) : usage("unknown metadata command");
                case DEMO -> usage("demo takes no arguments");
                case "help", "--help", "-h" -> {
                    out.println(USAGE_TEXT);
                    yield OK;
                }
                default -> usage("unknown command '" + args[0] + "'");
            };
        } catch (UsageException e) {
            return usage(e.getMessage());
        }
    }

    private int check(Map<String, String> options) {
        Path file = Path.of(required(options, "metadata"));
        Metadata metadata;
        try {
            metadata = MetadataCodec.read(file);
        } catch (MetadataException e) {
            err.println(file + ": " + e.getMessage());
            return PROBLEMS;
        }
        String url = options.getOrDefault("database-url", env.get("JOINERY_DATABASE_URL"));
        if (url == null || url.isBlank()) {
            throw new UsageException("check needs --database-url URL (or JOINERY_DATABASE_URL)");
        }
        Vertx vertx = Vertx.vertx();
        Map<String, Database> databases = new LinkedHashMap<>();
        try {
            ConsistencyChecker checker = ConsistencyChecker.of(source -> {
                Database database = databases.computeIfAbsent(source.name(), name -> new Database(name, vertx,
                        Source.DEFAULT.equals(name) && source.url() == null ? url : source.url().resolve(env::get), 1));
                return CatalogReader.read(database.pool(), source);
            }, EngineChecks.all(config -> {
                try (var client = io.joinery.proxy.remote.RemoteClients.create(config, env::get,
                        io.joinery.proxy.remote.RemoteClients.DEFAULT_MAX_RESPONSE_BYTES)) {
                    return io.joinery.proxy.remote.RemoteSchema.introspect(config, client);
                }
            }));
            Inconsistencies problems = checker.check(metadata);
            if (problems.isEmpty()) {
                out.println(file + ": consistent (" + metadata.sources().stream().mapToInt(s -> s.tables().size()).sum()
                        + " tables, " + metadata.remoteSchemas().size() + " remote schemas, " + metadata.actions().size() + " actions, "
                        + metadata.customTypes().size() + " custom types)");
                return OK;
            }
            err.println(file + ": " + problems.problems().size() + " problem(s)");
            for (Problem problem : problems.problems()) {
                err.println("  - " + problem.message());
            }
            return PROBLEMS;
        } finally {
            databases.values().forEach(Database::close);
            vertx.close();
        }
    }

    private int export(Map<String, String> options) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(adminUri(options, "/admin/v1/metadata"))
                .header("Accept", "application/yaml").GET(), options);
        if (response.statusCode() != 200) {
            err.println("export failed: HTTP " + response.statusCode() + " " + response.body());
            return PROBLEMS;
        }
        String target = options.get("file");
        if (target == null) {
            out.print(response.body());
            return OK;
        }
        try {
            Files.writeString(Path.of(target), response.body());
        } catch (IOException e) {
            err.println("cannot write " + target + ": " + e.getMessage());
            return USAGE;
        }
        out.println("exported metadata " + response.headers().firstValue("ETag").orElse("") + " to " + target);
        return OK;
    }

    private int apply(Map<String, String> options) {
        Path file = Path.of(required(options, "file"));
        String body;
        try {
            body = Files.readString(file);
        } catch (IOException e) {
            err.println("cannot read " + file + ": " + e.getMessage());
            return USAGE;
        }
        String replaced = options.containsKey("if-match") ? "\"" + options.get("if-match").replace("\"", "") + "\"" : currentEtag(options);
        if (replaced == null) {
            return PROBLEMS;
        }
        String type = body.stripLeading().startsWith("{") ? "application/json" : "application/yaml";
        HttpResponse<String> response = send(HttpRequest.newBuilder(adminUri(options, "/admin/v1/metadata"))
                .header("Content-Type", type).header("If-Match", replaced).PUT(HttpRequest.BodyPublishers.ofString(body)), options);
        if (response.statusCode() / 100 != 2) {
            err.println("apply failed: HTTP " + response.statusCode() + " " + response.body());
            return PROBLEMS;
        }
        out.println("applied " + file + " over metadata version " + replaced + ", metadata version "
                + response.headers().firstValue("ETag").orElse("?"));
        if (response.statusCode() == 202) {
            err.println("committed, not yet served by that sidecar: " + response.body());
        }
        return OK;
    }

    /**
     * The version {@code apply} replaces when no {@code --if-match} names one: the current, read
     * just before the PUT, so that a write landing in between is refused (412), not undone.
     */
    private String currentEtag(Map<String, String> options) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(adminUri(options, "/admin/v1/metadata")).GET(), options);
        Optional<String> etag = response.headers().firstValue("ETag");
        if (response.statusCode() != 200 || etag.isEmpty()) {
            err.println("apply failed: reading the current version answered HTTP " + response.statusCode() + " " + response.body());
            return null;
        }
        return etag.get();
    }

    private HttpResponse<String> send(HttpRequest.Builder request, Map<String, String> options) {
        String secret = options.getOrDefault("admin-secret", env.get("JOINERY_ADMIN_SECRET"));
        if (secret != null) {
            request.header("X-Joinery-Admin-Secret", secret);
        }
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UsageException("cannot reach the admin API: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageException("interrupted");
        }
    }

    private static URI adminUri(Map<String, String> options, String path) {
        String base = required(options, "admin-url");
        return URI.create(base.replaceAll("/+$", "") + path);
    }

    private static Map<String, String> options(String[] args, int from) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>(List.of(args).subList(from, args.length));
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            if (equals > 0) {
                options.put(arg.substring(2, equals), arg.substring(equals + 1));
            } else if (i + 1 < rest.size()) {
                options.put(arg.substring(2), rest.get(++i));
            } else {
                throw new UsageException("option " + arg + " needs a value");
            }
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new UsageException("missing --" + name);
        }
        return value;
    }

    private int usage(String message) {
        err.println("joinery: " + message);
        err.println(USAGE_TEXT);
        return USAGE;
    }

    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
