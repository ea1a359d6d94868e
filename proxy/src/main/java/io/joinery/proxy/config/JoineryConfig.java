package io.joinery.proxy.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.joinery.policies.RoleNames;
import io.joinery.policies.SessionNames;
import io.joinery.policies.auth.AuthHook;
import io.joinery.policies.auth.JwtConfig;
import io.joinery.telemetry.TelemetryOptions;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sidecar's settings. Each comes from an environment variable, else from the optional YAML
 * file named by {@code JOINERY_CONFIG_FILE} (under {@code proxy:}, dash-case keys), else its
 * default. Unknown keys and bad values are errors.
 *
 * <pre>
 * key                 variable                  default
 * database-url        JOINERY_DATABASE_URL      (none: embedded Postgres with demo data)
 * graphql-host        JOINERY_GRAPHQL_HOST      127.0.0.1
 * graphql-port        JOINERY_GRAPHQL_PORT      8080
 * admin-host          JOINERY_ADMIN_HOST        127.0.0.1
 * admin-port          JOINERY_ADMIN_PORT        9090
 * metadata            JOINERY_METADATA          (none: the metadata store)
 * metadata-database-url JOINERY_METADATA_DATABASE_URL (none: the store is in the default source's database)
 * admin-secret        JOINERY_ADMIN_SECRET      (none: every caller is admin)
 * unauthorized-role   JOINERY_UNAUTHORIZED_ROLE (none)
 * pool-size           JOINERY_POOL_SIZE         4 (Note [Four connections per sidecar])
 * database-io-threads JOINERY_DATABASE_IO_THREADS 1 (Note [One thread for the databases' I/O])
 * statements-per-connection JOINERY_STATEMENTS_PER_CONNECTION 2 (reads pipelined: Note [Reads two to a connection] in execute.Database)
 * max-depth           JOINERY_MAX_DEPTH         15
 * max-request-bytes   JOINERY_MAX_REQUEST_BYTES 1048576
 * plan-cache-bytes    JOINERY_PLAN_CACHE_BYTES  67108864 (64 MB, estimated, all roles together)
 * max-batch-size      JOINERY_MAX_BATCH_SIZE    100
 * max-response-bytes  JOINERY_MAX_RESPONSE_BYTES 67108864
 * max-admin-request-bytes JOINERY_MAX_ADMIN_REQUEST_BYTES 16777216
 * admin-serve-timeout-ms JOINERY_ADMIN_SERVE_TIMEOUT_MS 10000 (an admin write's wait for this sidecar to serve it)
 * unauthorized-session-headers JOINERY_UNAUTHORIZED_SESSION_HEADERS false (callers without the secret: x-joinery-* ignored)
 * read-timeout-seconds JOINERY_READ_TIMEOUT_SECONDS 30 (longest wait for a client's next bytes)
 * exit-on-out-of-memory JOINERY_EXIT_ON_OUT_OF_MEMORY true
 * max-remote-response-bytes JOINERY_MAX_REMOTE_RESPONSE_BYTES 33554432
 * statement-timeout-ms JOINERY_STATEMENT_TIMEOUT_MS 5000 (a source's statement_timeout_ms wins)
 * pool-timeout-ms     JOINERY_POOL_TIMEOUT_MS   5000
 * max-bool-exp-depth  JOINERY_MAX_BOOL_EXP_DEPTH 12
 * max-bool-exp-nodes  JOINERY_MAX_BOOL_EXP_NODES 512
 * jwt-secret          JOINERY_JWT_SECRET        (none) Hasura's JWT secret JSON; in the file also as a YAML object
 * auth-hook           JOINERY_AUTH_HOOK         (none) the authentication hook's URL
 * auth-hook-mode      JOINERY_AUTH_HOOK_MODE    GET (or POST)
 * accept-hasura-session JOINERY_ACCEPT_HASURA_SESSION false (x-hasura-* headers and claims as x-joinery-*)
 * jwks-refetch-floor-ms JOINERY_JWKS_REFETCH_FLOOR_MS 10000 (shortest time between two fetches of jwk_url)
 * enable-allowlist    JOINERY_ENABLE_ALLOWLIST  false (true: roles but admin run only the metadata's allowlist)
 * enable-remote-schema-permissions JOINERY_ENABLE_REMOTE_SCHEMA_PERMISSIONS true (false: every role uses every remote whole, as Hasura's default)
 * flat-rows           JOINERY_FLAT_ROWS         root (all: and one list per level below; none: every list JSON built by Postgres; Note [Flat rows] in compile.SqlCompiler)
 * session-defaults    JOINERY_SESSION_DEFAULTS  random_page_cost=1.0 (name=value,...: settings the sidecar's sessions take where the database has none; none: no such setting; Note [Plans for data in memory] in execute.Database)
 * startup-timeout-seconds JOINERY_STARTUP_TIMEOUT_SECONDS 60 (how long to wait for the databases and the store at start)
 * shutdown-drain-seconds JOINERY_SHUTDOWN_DRAIN_SECONDS 5 (after SIGTERM: not ready, still serving)
 * shutdown-grace-seconds JOINERY_SHUTDOWN_GRACE_SECONDS 10 (then: requests in flight may finish)
 * log-format          JOINERY_LOG_FORMAT        text (or json: one JSON object per line)
 * access-log          JOINERY_ACCESS_LOG        true (one line per GraphQL request, logger joinery.access)
 * trace-query-text    JOINERY_TRACE_QUERY_TEXT  false (true: each statement's SQL text on its span, db.query.text)
 * live-queries-refetch-interval-ms JOINERY_LIVE_QUERIES_REFETCH_INTERVAL_MS 1000 (how often live queries are refetched)
 * live-queries-batch-size JOINERY_LIVE_QUERIES_BATCH_SIZE 100 (subscribers per statement of a cohort)
 * max-subscriptions-per-connection JOINERY_MAX_SUBSCRIPTIONS_PER_CONNECTION 100
 * max-subscriptions   JOINERY_MAX_SUBSCRIPTIONS 10000 (all connections of the sidecar)
 * websocket-keepalive-seconds JOINERY_WEBSOCKET_KEEPALIVE_SECONDS 5 (ping, and ka in graphql-ws)
 * websocket-init-timeout-seconds JOINERY_WEBSOCKET_INIT_TIMEOUT_SECONDS 3 (wait for connection_init)
 * websocket-max-queued-messages JOINERY_WEBSOCKET_MAX_QUEUED_MESSAGES 256 (a slower client is dropped)
 * </pre>
 *
 * <p>Note [Four connections per sidecar]: every application pod runs a sidecar, so the database
 * holds the fleet's pods times {@code pool-size} connections for reads (and up to as many again
 * while a sidecar writes: Note [Reads two to a connection] in {@code execute.Database}), and each
 * is a backend process. A
 * backend beyond what the database's cores can run at once only takes turns with the others: the
 * statements' CPU is the same, their latency is spread over more of them. Measured on two cores
 * shared by the load generator, the sidecar and Postgres (README, Benchmarks, the ninth session;
 * compare.sh, 16 clients, two interleaved rounds each): 4 connections against 8 kept Q2's rate
 * (1,592 and 1,830 against 1,647 and 1,266 req/s) and brought its p99 to 1.9x its p50 (from
 * 2.1-2.5x); Q1's p99 fell from 10-11x to 4.3-4.4x its p50, for 10% of its rate (the statements
 * queue for a permit: Note [Connections handed out here] in {@code execute.Database}). A sidecar
 * with more to run at once than four statements (a distant database, long statements) raises it.
 *
 * <p>Note [One thread for the databases' I/O]: the driver (Vert.x) serves each connection on one of
 * its event-loop threads, by default twice as many as the machine's cores. A statement handed to a
 * connection wakes that connection's thread, which sleeps in {@code epoll} between answers; spread
 * over four threads for four connections, nearly every statement of a busy sidecar paid a wake-up,
 * and a second one for its answer. One thread serving every connection is rarely asleep under load:
 * it takes the next statement from its queue and reads the answers of several connections from one
 * {@code epoll}. Measured on two cores (the eleventh session, 16 clients, 40 s of warm-up, 20 s
 * measured, interleaved): Q1 7,470 and 7,700 req/s with 171 and 165 µs of the sidecar's CPU per
 * request on four threads, 10,292 and 9,230 req/s with 107 and 123 µs on one; Q2 and Q3 within the
 * machine's noise (Postgres' and the remote's CPU decide them). A thread decodes every answer it
 * reads, so a sidecar with several busy sources on many cores may want more.
 */
public record JoineryConfig(Optional<String> databaseUrl, String graphqlHost, int graphqlPort, String adminHost,
                            int adminPort, Optional<Path> metadata, Optional<String> adminSecret,
                            Optional<String> unauthorizedRole, int poolSize, int databaseIoThreads, int statementsPerConnection, int maxDepth, long maxRequestBytes,
                            int planCacheBytes, Optional<String> metadataDatabaseUrl,
                            int maxBatchSize, int maxResponseBytes, int maxAdminRequestBytes, Duration adminServeTimeout,
                            boolean unauthorizedSessionHeaders, int readTimeoutSeconds, boolean exitOnOutOfMemory,
                            long maxRemoteResponseBytes, Duration statementTimeout,
                            Duration poolTimeout, int maxBoolExpDepth, int maxBoolExpNodes,
                            Optional<JwtConfig> jwt, Optional<URI> authHook, AuthHook.Mode authHookMode,
                            boolean acceptHasuraSession, Duration jwksRefetchFloor, boolean enableAllowlist,
                            boolean enableRemoteSchemaPermissions, io.joinery.proxy.compile.SqlCompiler.Flat flatRows, Map<String, String> sessionDefaults,
                            Lifecycle lifecycle, TelemetryOptions telemetry, io.joinery.proxy.subscription.SubscriptionConfig subscriptions) {

    /**
     * Start and stop (Note [Start and stop] in {@code Sidecar}).
     *
     * @param startupTimeout how long the databases and the metadata store are waited for at start
     * @param shutdownDrain  after SIGTERM, how long requests are still served while readiness says no
     * @param shutdownGrace  then, how long requests in flight may take once the listeners stop accepting
     */
    public record Lifecycle(Duration startupTimeout, Duration shutdownDrain, Duration shutdownGrace) {
    }

    private static final Map<String, String> KEYS = keys();

    private static Map<String, String> keys() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String key : new String[]{"database-url", "graphql-host", "graphql-port", "admin-host", "admin-port", "metadata",
                "admin-secret", "unauthorized-role", "pool-size", "database-io-threads", "statements-per-connection", "max-depth", "max-request-bytes", "plan-cache-bytes",
                "metadata-database-url", "max-batch-size", "max-response-bytes", "max-admin-request-bytes", "admin-serve-timeout-ms",
                "unauthorized-session-headers", "read-timeout-seconds", "exit-on-out-of-memory",
                "max-remote-response-bytes",
                "statement-timeout-ms", "pool-timeout-ms", "max-bool-exp-depth", "max-bool-exp-nodes",
                "jwt-secret", "auth-hook", "auth-hook-mode", "accept-hasura-session", "jwks-refetch-floor-ms", "enable-allowlist",
                "enable-remote-schema-permissions", "flat-rows", "session-defaults",
                "startup-timeout-seconds", "shutdown-drain-seconds", "shutdown-grace-seconds",
                "log-format", "access-log", "trace-query-text",
                "live-queries-refetch-interval-ms", "live-queries-batch-size", "max-subscriptions-per-connection", "max-subscriptions",
                "websocket-keepalive-seconds", "websocket-init-timeout-seconds", "websocket-max-queued-messages"}) {
            keys.put(key, "JOINERY_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
        return keys;
    }

    /** Loopback addresses, where the admin listener may run without a secret. */
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

    public static JoineryConfig load(Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        String file = env.get("JOINERY_CONFIG_FILE");
        if (file != null && !file.isBlank()) {
            values.putAll(fromFile(Path.of(file)));
        }
        KEYS.forEach((key, variable) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                values.put(key, value.trim());
            }
        });
        JoineryConfig config = new JoineryConfig(
                optional(values, "database-url"),
                values.getOrDefault("graphql-host", "127.0.0.1"),
                port(values, "graphql-port", 8080),
                values.getOrDefault("admin-host", "127.0.0.1"),
                port(values, "admin-port", 9090),
                optional(values, "metadata").map(Path::of),
                optional(values, "admin-secret"),
                optional(values, "unauthorized-role"),
                positive(values, "pool-size", 4),
                positive(values, "database-io-threads", 1),
                statementsPerConnection(values),
                positive(values, "max-depth", 15),
                positive(values, "max-request-bytes", 1_048_576),
                positive(values, "plan-cache-bytes", 64 << 20),
                optional(values, "metadata-database-url"),
                positive(values, "max-batch-size", 100),
                positive(values, "max-response-bytes", 64 << 20),
                positive(values, "max-admin-request-bytes", 16 << 20),
                Duration.ofMillis(positive(values, "admin-serve-timeout-ms", 10_000)),
                bool(values, "unauthorized-session-headers", false),
                positive(values, "read-timeout-seconds", 30),
                bool(values, "exit-on-out-of-memory", true),
                positive(values, "max-remote-response-bytes", io.joinery.proxy.remote.RemoteClients.DEFAULT_MAX_RESPONSE_BYTES),
                Duration.ofMillis(positive(values, "statement-timeout-ms", 5000)),
                Duration.ofMillis(positive(values, "pool-timeout-ms", 5000)),
                positive(values, "max-bool-exp-depth", 12),
                positive(values, "max-bool-exp-nodes", 512),
                jwt(values),
                optional(values, "auth-hook").map(JoineryConfig::hookUrl),
                hookMode(values),
                bool(values, "accept-hasura-session", false),
                Duration.ofMillis(positive(values, "jwks-refetch-floor-ms", 10_000)),
                bool(values, "enable-allowlist", false),
                bool(values, "enable-remote-schema-permissions", true),
                flatRows(values),
                sessionDefaults(values),
                new Lifecycle(Duration.ofSeconds(positive(values, "startup-timeout-seconds", 60)),
                        Duration.ofSeconds(nonNegative(values, "shutdown-drain-seconds", 5)),
                        Duration.ofSeconds(positive(values, "shutdown-grace-seconds", 10))),
                new TelemetryOptions(logFormat(values), bool(values, "access-log", true), bool(values, "trace-query-text", false)),
                new io.joinery.proxy.subscription.SubscriptionConfig(
                        Duration.ofMillis(positive(values, "live-queries-refetch-interval-ms", 1000)),
                        positive(values, "live-queries-batch-size", 100),
                        positive(values, "max-subscriptions-per-connection", 100),
                        positive(values, "max-subscriptions", 10_000),
                        Duration.ofSeconds(positive(values, "websocket-keepalive-seconds", 5)),
                        Duration.ofSeconds(positive(values, "websocket-init-timeout-seconds", 3)),
                        positive(values, "websocket-max-queued-messages", 256)));
        config.unauthorizedRole().ifPresent(role -> {
            if (!RoleNames.isValid(role)) {
                throw new ConfigException("JOINERY_UNAUTHORIZED_ROLE must be a role name (" + RoleNames.RULE + ")");
            }
        });
        config.metadata().ifPresent(path -> {
            if (!Files.isReadable(path)) {
                throw new ConfigException("JOINERY_METADATA: cannot read " + path);
            }
        });
        checkAuthentication(config);
        if (config.adminSecret().isEmpty() && !LOOPBACK.contains(config.adminHost())) {
            throw new ConfigException("the admin listener is on " + config.adminHost()
                    + ", not loopback: set JOINERY_ADMIN_SECRET (or JOINERY_ADMIN_HOST=127.0.0.1)");
        }
        return config;
    }

    /** A JWT and a hook exclude each other, and each needs the admin secret (as in Hasura). */
    private static void checkAuthentication(JoineryConfig config) {
        if (config.jwt().isPresent() && config.authHook().isPresent()) {
            throw new ConfigException("JOINERY_JWT_SECRET and JOINERY_AUTH_HOOK exclude each other: set one");
        }
        if ((config.jwt().isPresent() || config.authHook().isPresent()) && config.adminSecret().isEmpty()) {
            throw new ConfigException((config.jwt().isPresent() ? "JOINERY_JWT_SECRET" : "JOINERY_AUTH_HOOK")
                    + " needs JOINERY_ADMIN_SECRET: without it every caller is admin");
        }
        if (config.authHook().isPresent() && config.unauthorizedRole().isPresent()) {
            throw new ConfigException("JOINERY_UNAUTHORIZED_ROLE does not apply with JOINERY_AUTH_HOOK: the hook gives every caller its role");
        }
    }

    private static Optional<JwtConfig> jwt(Map<String, String> values) {
        try {
            return optional(values, "jwt-secret").map(json -> JwtConfig.parse(json, new SessionNames(bool(values, "accept-hasura-session", false))));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static URI hookUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException("JOINERY_AUTH_HOOK must be an http(s) URL: " + e.getReason());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new ConfigException("JOINERY_AUTH_HOOK must be an http(s) URL");
        }
        return uri;
    }

    private static AuthHook.Mode hookMode(Map<String, String> values) {
        String mode = values.getOrDefault("auth-hook-mode", "GET").toUpperCase(java.util.Locale.ROOT);
        return switch (mode) {
            case "GET" -> AuthHook.Mode.GET;
            case "POST" -> AuthHook.Mode.POST;
            default -> throw new ConfigException("JOINERY_AUTH_HOOK_MODE must be GET or POST, got '" + values.get("auth-hook-mode") + "'");
        };
    }

    /** {@code JOINERY_*} variables that are not settings but are read elsewhere. */
    private static final Set<String> OTHER_VARIABLES = Set.of("JOINERY_CONFIG_FILE", "JOINERY_TEST_DATABASE_URL");
    /** Settings that were renamed or replaced, with what to set instead. */
    private static final Map<String, String> REPLACED = Map.of("JOINERY_PLAN_CACHE_SIZE",
            "JOINERY_PLAN_CACHE_BYTES (the plan cache is bounded by bytes, not entries)");

    /**
     * One warning per {@code JOINERY_*} variable that is no setting: a misspelt or retired name is
     * otherwise silently ignored, and its default applies. Not an error: an operator's own variables
     * for {@code from_env} in the metadata may share the prefix.
     */
    public static java.util.List<String> unknownVariables(Map<String, String> env) {
        java.util.List<String> warnings = new java.util.ArrayList<>();
        env.keySet().stream().filter(name -> name.startsWith("JOINERY_")).sorted().forEach(name -> {
            if (KEYS.containsValue(name) || OTHER_VARIABLES.contains(name)) {
                return;
            }
            String replaced = REPLACED.get(name);
            String nearest = KEYS.values().stream().filter(known -> known.startsWith(name) || name.startsWith(known))
                    .findFirst().orElse(null);
            warnings.add(name + " is not a Joinery setting and is ignored"
                    + (replaced != null ? "; use " + replaced : nearest != null ? "; did you mean " + nearest + "?" : ""));
        });
        return warnings;
    }

    /** This configuration with other ports (tests use 0 for free ports). */
    public JoineryConfig withPorts(int graphql, int admin) {
        return new JoineryConfig(databaseUrl, graphqlHost, graphql, adminHost, admin, metadata, adminSecret,
                unauthorizedRole, poolSize, databaseIoThreads, statementsPerConnection, maxDepth, maxRequestBytes, planCacheBytes, metadataDatabaseUrl,
                maxBatchSize, maxResponseBytes, maxAdminRequestBytes, adminServeTimeout,
                unauthorizedSessionHeaders, readTimeoutSeconds, exitOnOutOfMemory,
                maxRemoteResponseBytes, statementTimeout,
                poolTimeout, maxBoolExpDepth, maxBoolExpNodes, jwt, authHook, authHookMode, acceptHasuraSession, jwksRefetchFloor,
                enableAllowlist, enableRemoteSchemaPermissions, flatRows, sessionDefaults, lifecycle, telemetry, subscriptions);
    }

    /** Whether log lines are JSON objects ({@code json}) rather than text ({@code text}, the default). */
    private static boolean logFormat(Map<String, String> values) {
        String value = values.getOrDefault("log-format", "text");
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "text" -> false;
            case "json" -> true;
            default -> throw new ConfigException(KEYS.get("log-format") + " must be text or json, got '" + value + "'");
        };
    }

    private static Map<String, String> fromFile(Path path) {
        if (!Files.isReadable(path)) {
            throw new ConfigException("JOINERY_CONFIG_FILE: cannot read " + path);
        }
        Config root;
        try {
            root = Config.just(ConfigSources.file(path));
        } catch (RuntimeException e) {
            throw new ConfigException("JOINERY_CONFIG_FILE " + path + " is not valid YAML: " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        Config proxy = root.get("proxy");
        if (!proxy.exists()) {
            return values;
        }
        for (Config node : proxy.asNodeList().orElse(java.util.List.of())) {
            String key = node.name();
            if (!KEYS.containsKey(key)) {
                throw new ConfigException("unknown configuration key proxy." + key + " in " + path + " (known: " + String.join(", ", KEYS.keySet()) + ")");
            }
            if (key.equals("jwt-secret") && node.type() == Config.Type.OBJECT) {
                values.put(key, FileJson.of(node).toString());
                continue;
            }
            values.put(key, node.asString().orElseThrow(() -> new ConfigException("proxy." + key + " in " + path + " must be a single value")));
        }
        return values;
    }

    private static Optional<String> optional(Map<String, String> values, String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
    }

    private static int port(Map<String, String> values, String key, int fallback) {
        int port = (int) number(values, key, fallback);
        if (port < 0 || port > 65535) {
            throw new ConfigException(KEYS.get(key) + " must be a port number (0-65535), got " + values.get(key));
        }
        return port;
    }

    private static io.joinery.proxy.compile.SqlCompiler.Flat flatRows(Map<String, String> values) {
        String value = values.getOrDefault("flat-rows", "root");
        return switch (value) {
            case "none" -> io.joinery.proxy.compile.SqlCompiler.Flat.NONE;
            case "root" -> io.joinery.proxy.compile.SqlCompiler.Flat.ROOT;
            case "all" -> io.joinery.proxy.compile.SqlCompiler.Flat.ALL;
            default -> throw new ConfigException(KEYS.get("flat-rows") + " must be none, root or all, got '" + value + "'");
        };
    }

    /** A setting's name as Postgres spells them: lower case, an extension's with its prefix. */
    private static final java.util.regex.Pattern SETTING_NAME = java.util.regex.Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");

    /** {@code name=value,...} in order, or {@code none}; the values reach Postgres as bind parameters. */
    private static Map<String, String> sessionDefaults(Map<String, String> values) {
        String value = values.getOrDefault("session-defaults", "random_page_cost=1.0");
        Map<String, String> defaults = new LinkedHashMap<>();
        if (value.equals("none")) {
            return defaults;
        }
        for (String pair : value.split(",")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair.trim() : pair.substring(0, equals).trim();
            String setting = equals < 0 ? "" : pair.substring(equals + 1).trim();
            if (!SETTING_NAME.matcher(name).matches() || setting.isEmpty() || defaults.put(name, setting) != null) {
                throw new ConfigException(KEYS.get("session-defaults") + " must be none or name=value pairs separated by commas,"
                        + " each name a Postgres setting's once, got '" + value + "'");
            }
        }
        return java.util.Collections.unmodifiableMap(defaults);
    }

    private static boolean bool(Map<String, String> values, String key, boolean fallback) {
        String value = values.get(key);
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(KEYS.get(key) + " must be true or false, got '" + value + "'");
        };
    }

    private static int positive(Map<String, String> values, String key, int fallback) {
        long value = number(values, key, fallback);
        if (value <= 0 || value > Integer.MAX_VALUE) {
            throw new ConfigException(KEYS.get(key) + " must be a positive number, got " + values.get(key));
        }
        return (int) value;
    }

    /** At most the driver's own default pipelining limit. */
    private static int statementsPerConnection(Map<String, String> values) {
        int value = positive(values, "statements-per-connection", 2);
        if (value > 256) {
            throw new ConfigException(KEYS.get("statements-per-connection") + " must be at most 256, got " + value);
        }
        return value;
    }

    private static int nonNegative(Map<String, String> values, String key, int fallback) {
        long value = number(values, key, fallback);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new ConfigException(KEYS.get(key) + " must be 0 or a positive number, got " + values.get(key));
        }
        return (int) value;
    }

    private static long number(Map<String, String> values, String key, long fallback) {
        String value = values.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(KEYS.get(key) + " must be a number, got '" + value + "'");
        }
    }
}
