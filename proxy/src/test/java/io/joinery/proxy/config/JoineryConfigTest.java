package io.joinery.proxy.config;

import io.joinery.telemetry.TelemetryOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JoineryConfigTest {

    @Test
    void defaultsMatchTheContract() {
        JoineryConfig config = JoineryConfig.load(Map.of());
        assertEquals(8080, config.graphqlPort());
        assertEquals(9090, config.adminPort());
        assertEquals("127.0.0.1", config.graphqlHost());
        assertTrue(config.databaseUrl().isEmpty(), "no URL means the embedded demo database");
        assertTrue(config.metadataDatabaseUrl().isEmpty(), "no URL means the store is in the default source's database");
        assertEquals(java.time.Duration.ofSeconds(10), config.adminServeTimeout(), "an admin write waits up to 10 s to be served");
        assertEquals(java.time.Duration.ofMillis(250), JoineryConfig.load(Map.of("JOINERY_ADMIN_SERVE_TIMEOUT_MS", "250")).adminServeTimeout());
        assertEquals(64 << 20, config.planCacheBytes());
        assertEquals(100, config.maxBatchSize());
        assertEquals(64 << 20, config.maxResponseBytes());
        assertEquals(16 << 20, config.maxAdminRequestBytes());
        assertEquals(false, config.unauthorizedSessionHeaders(), "callers without the secret cannot set session variables");
        assertEquals(30, config.readTimeoutSeconds());
        assertEquals(true, config.exitOnOutOfMemory());
        assertEquals(32L << 20, config.maxRemoteResponseBytes(), "a remote's answer is read up to 32 MB");
        assertEquals(1, config.databaseIoThreads(), "one thread talks to the databases");
        assertEquals(3, JoineryConfig.load(Map.of("JOINERY_DATABASE_IO_THREADS", "3")).withPorts(0, 0).databaseIoThreads());
        assertThrows(ConfigException.class, () -> JoineryConfig.load(Map.of("JOINERY_DATABASE_IO_THREADS", "0")));
        assertEquals(2, config.statementsPerConnection(), "reads go two to a connection");
        assertEquals(1, JoineryConfig.load(Map.of("JOINERY_STATEMENTS_PER_CONNECTION", "1")).withPorts(0, 0).statementsPerConnection());
        assertThrows(ConfigException.class, () -> JoineryConfig.load(Map.of("JOINERY_STATEMENTS_PER_CONNECTION", "0")));
        assertEquals("JOINERY_STATEMENTS_PER_CONNECTION must be at most 256, got 257", assertThrows(ConfigException.class,
                () -> JoineryConfig.load(Map.of("JOINERY_STATEMENTS_PER_CONNECTION", "257"))).getMessage());
        assertTrue(config.enableRemoteSchemaPermissions(), "a role sees a remote only through its permission unless told otherwise");
        assertFalse(JoineryConfig.load(Map.of("JOINERY_ENABLE_REMOTE_SCHEMA_PERMISSIONS", "false")).withPorts(0, 0).enableRemoteSchemaPermissions());
        assertThrows(ConfigException.class, () -> JoineryConfig.load(Map.of("JOINERY_ENABLE_REMOTE_SCHEMA_PERMISSIONS", "off")));
        assertEquals(io.joinery.proxy.compile.SqlCompiler.Flat.ROOT, config.flatRows(), "a query's root list is read as plain rows unless told otherwise");
        assertEquals(io.joinery.proxy.compile.SqlCompiler.Flat.ALL, JoineryConfig.load(Map.of("JOINERY_FLAT_ROWS", "all")).withPorts(0, 0).flatRows());
        assertEquals(io.joinery.proxy.compile.SqlCompiler.Flat.NONE, JoineryConfig.load(Map.of("JOINERY_FLAT_ROWS", "none")).withPorts(0, 0).flatRows());
        assertEquals("JOINERY_FLAT_ROWS must be none, root or all, got 'true'", assertThrows(ConfigException.class,
                () -> JoineryConfig.load(Map.of("JOINERY_FLAT_ROWS", "true"))).getMessage());
        assertEquals(Map.of("random_page_cost", "1.0"), config.sessionDefaults(), "sessions plan for data in memory unless told otherwise");
        assertEquals(Map.of(), JoineryConfig.load(Map.of("JOINERY_SESSION_DEFAULTS", "none")).sessionDefaults());
        assertEquals(java.util.List.of("random_page_cost", "jit", "pg_trgm.similarity_threshold"), java.util.List.copyOf(JoineryConfig.load(Map.of(
                "JOINERY_SESSION_DEFAULTS", "random_page_cost=1.0, jit = off,pg_trgm.similarity_threshold=0.4")).sessionDefaults().keySet()));
        assertEquals("off", JoineryConfig.load(Map.of("JOINERY_SESSION_DEFAULTS", "jit=off")).sessionDefaults().get("jit"));
        for (String bad : new String[]{"random_page_cost", "random_page_cost=", "Random_Page_Cost=1", "a b=1", "jit=off,jit=on", "=1"}) {
            String message = assertThrows(ConfigException.class, () -> JoineryConfig.load(Map.of("JOINERY_SESSION_DEFAULTS", bad)), bad).getMessage();
            assertTrue(message.startsWith("JOINERY_SESSION_DEFAULTS must be none or name=value pairs separated by commas"), message);
        }
    }

    @Test
    void memoryLimitsAreSettings() {
        JoineryConfig config = JoineryConfig.load(Map.of("JOINERY_PLAN_CACHE_BYTES", "1048576", "JOINERY_MAX_BATCH_SIZE", "5",
                "JOINERY_MAX_RESPONSE_BYTES", "2000000", "JOINERY_MAX_ADMIN_REQUEST_BYTES", "300000"));
        assertEquals(1_048_576, config.planCacheBytes());
        assertEquals(5, config.maxBatchSize());
        assertEquals(2_000_000, config.maxResponseBytes());
        assertEquals(300_000, config.maxAdminRequestBytes());
        assertEquals(300_000, config.withPorts(0, 0).maxAdminRequestBytes(), "kept with other ports");
        assertThrows(ConfigException.class, () -> JoineryConfig.load(Map.of("JOINERY_MAX_BATCH_SIZE", "0")));
    }

    @Test
    void edgeSettingsAreReadAndChecked() {
        JoineryConfig config = JoineryConfig.load(Map.of("JOINERY_UNAUTHORIZED_SESSION_HEADERS", "true",
                "JOINERY_READ_TIMEOUT_SECONDS", "5", "JOINERY_EXIT_ON_OUT_OF_MEMORY", "FALSE"));
        assertEquals(true, config.unauthorizedSessionHeaders());
        assertEquals(5, config.readTimeoutSeconds());
        assertEquals(false, config.exitOnOutOfMemory());
        ConfigException yes = assertThrows(ConfigException.class, () -> JoineryConfig.load(Map.of("JOINERY_EXIT_ON_OUT_OF_MEMORY", "yes")));
        assertEquals("JOINERY_EXIT_ON_OUT_OF_MEMORY must be true or false, got 'yes'", yes.getMessage());
        ConfigException role = assertThrows(ConfigException.class, () -> JoineryConfig.load(Map.of("JOINERY_UNAUTHORIZED_ROLE", "any one")));
        assertTrue(role.getMessage().startsWith("JOINERY_UNAUTHORIZED_ROLE must be a role name"), role.getMessage());
    }

    @Test
    void telemetrySettingsAreReadAndChecked() {
        assertEquals(new TelemetryOptions(false, true, false), JoineryConfig.load(Map.of()).telemetry(),
                "text logs, an access log, no SQL text on spans");
        assertEquals(new TelemetryOptions(true, false, true), JoineryConfig.load(Map.of("JOINERY_LOG_FORMAT", "JSON",
                "JOINERY_ACCESS_LOG", "false", "JOINERY_TRACE_QUERY_TEXT", "true")).telemetry());
        ConfigException bad = assertThrows(ConfigException.class, () -> JoineryConfig.load(Map.of("JOINERY_LOG_FORMAT", "xml")));
        assertEquals("JOINERY_LOG_FORMAT must be text or json, got 'xml'", bad.getMessage());
    }

    @Test
    void theJwtSecretIsReadFromTheEnvironmentOrAsAYamlObjectInTheFile(@TempDir Path dir) throws IOException {
        JoineryConfig fromEnv = JoineryConfig.load(Map.of("JOINERY_ADMIN_SECRET", "s",
                "JOINERY_JWT_SECRET", "{\"type\": \"HS256\", \"key\": \"" + "k".repeat(32) + "\", \"audience\": [\"a\", \"b\"]}"));
        assertEquals(java.util.Set.of("a", "b"), fromEnv.jwt().orElseThrow().audience());
        Path file = Files.writeString(dir.resolve("joinery.yaml"), """
                proxy:
                  admin-secret: s
                  jwt-secret:
                    jwk_url: https://issuer.example/.well-known/jwks.json
                    claims_namespace_path: $.session
                    allowed_skew: 5
                    header: { type: Cookie, name: token }
                """);
        JoineryConfig fromFile = JoineryConfig.load(Map.of("JOINERY_CONFIG_FILE", file.toString()));
        assertEquals(Duration.ofSeconds(5), fromFile.jwt().orElseThrow().allowedSkew());
        assertEquals(new io.joinery.policies.auth.JwtConfig.TokenHeader.Cookie("token"), fromFile.jwt().orElseThrow().header());
        assertEquals(Duration.ofSeconds(10), fromFile.jwksRefetchFloor());
    }

    @Test
    void authenticationSettingsThatCannotWorkStopTheStart() {
        String jwt = "{\"type\": \"HS256\", \"key\": \"" + "k".repeat(32) + "\"}";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("needs JOINERY_ADMIN_SECRET", "JOINERY_JWT_SECRET=" + jwt);
        cases.put("exclude each other", "JOINERY_ADMIN_SECRET=s|JOINERY_JWT_SECRET=" + jwt + "|JOINERY_AUTH_HOOK=http://127.0.0.1:1/auth");
        cases.put("does not apply with JOINERY_AUTH_HOOK", "JOINERY_ADMIN_SECRET=s|JOINERY_AUTH_HOOK=http://127.0.0.1:1/auth|JOINERY_UNAUTHORIZED_ROLE=anon");
        cases.put("JOINERY_AUTH_HOOK must be an http(s) URL", "JOINERY_ADMIN_SECRET=s|JOINERY_AUTH_HOOK=ftp://x/auth");
        cases.put("JOINERY_AUTH_HOOK_MODE must be GET or POST", "JOINERY_ADMIN_SECRET=s|JOINERY_AUTH_HOOK=http://x/auth|JOINERY_AUTH_HOOK_MODE=PUT");
        cases.put("an HS256 key must have at least 32 bytes", "JOINERY_ADMIN_SECRET=s|JOINERY_JWT_SECRET={\"type\": \"HS256\", \"key\": \"short\"}");
        cases.put("type 'PS999' is not supported", "JOINERY_ADMIN_SECRET=s|JOINERY_JWT_SECRET={\"type\": \"PS999\", \"key\": \"k\"}");
        cases.put("unknown key 'secret'", "JOINERY_ADMIN_SECRET=s|JOINERY_JWT_SECRET={\"secret\": \"k\"}");
        cases.put("either 'key' (with 'type') or 'jwk_url'", "JOINERY_ADMIN_SECRET=s|JOINERY_JWT_SECRET={\"type\": \"RS256\"}");
        cases.put("must be a PEM public key", "JOINERY_ADMIN_SECRET=s|JOINERY_JWT_SECRET={\"type\": \"RS256\", \"key\": \"" + "k".repeat(40) + "\"}");
        cases.put("not a JSON path", "JOINERY_ADMIN_SECRET=s|JOINERY_JWT_SECRET={\"jwk_url\": \"http://x/j\", \"claims_namespace_path\": \"$..a\"}");
        cases.put("claims_map needs x-joinery-default-role", "JOINERY_ADMIN_SECRET=s|JOINERY_JWT_SECRET={\"jwk_url\": \"http://x/j\", "
                + "\"claims_map\": {\"x-joinery-allowed-roles\": [\"user\"]}}");
        cases.forEach((message, settings) -> {
            Map<String, String> env = new java.util.HashMap<>();
            for (String setting : settings.split("\\|")) {
                env.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
            }
            ConfigException e = assertThrows(ConfigException.class, () -> JoineryConfig.load(env), settings);
            assertTrue(e.getMessage().contains(message), "expected '" + message + "' in: " + e.getMessage());
        });
    }

    @Test
    void theMetadataStoreMayLiveInItsOwnDatabase(@TempDir Path dir) throws IOException {
        assertEquals("postgres://meta@db/fleet", JoineryConfig.load(Map.of("JOINERY_METADATA_DATABASE_URL", "postgres://meta@db/fleet"))
                .metadataDatabaseUrl().orElseThrow());
        Path file = Files.writeString(dir.resolve("joinery.yaml"), "proxy:\n  metadata-database-url: postgres://meta@db/file\n");
        assertEquals("postgres://meta@db/file", JoineryConfig.load(Map.of("JOINERY_CONFIG_FILE", file.toString()))
                .metadataDatabaseUrl().orElseThrow());
    }

    @Test
    void environmentVariablesWinOverTheFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("joinery.yaml"), "proxy:\n  graphql-port: 7000\n  admin-port: 7001\n");
        JoineryConfig config = JoineryConfig.load(Map.of("JOINERY_CONFIG_FILE", file.toString(), "JOINERY_GRAPHQL_PORT", "7100"));
        assertEquals(7100, config.graphqlPort());
        assertEquals(7001, config.adminPort());
    }

    @Test
    void badValuesStopTheStartWithOneClearLine(@TempDir Path dir) throws IOException {
        ConfigException port = assertThrows(ConfigException.class, () -> JoineryConfig.load(Map.of("JOINERY_GRAPHQL_PORT", "eighty")));
        assertEquals("JOINERY_GRAPHQL_PORT must be a number, got 'eighty'", port.getMessage());
        assertThrows(ConfigException.class, () -> JoineryConfig.load(Map.of("JOINERY_ADMIN_PORT", "70000")));
        assertThrows(ConfigException.class, () -> JoineryConfig.load(Map.of("JOINERY_POOL_SIZE", "0")));
        assertThrows(ConfigException.class, () -> JoineryConfig.load(Map.of("JOINERY_ADMIN_SERVE_TIMEOUT_MS", "-1")));
        assertThrows(ConfigException.class, () -> JoineryConfig.load(Map.of("JOINERY_MAX_REMOTE_RESPONSE_BYTES", "-1")));
        assertEquals(1024, JoineryConfig.load(Map.of("JOINERY_MAX_REMOTE_RESPONSE_BYTES", "1024")).maxRemoteResponseBytes());
        ConfigException missing = assertThrows(ConfigException.class, () -> JoineryConfig.load(Map.of("JOINERY_METADATA", dir.resolve("nope.yaml").toString())));
        assertTrue(missing.getMessage().startsWith("JOINERY_METADATA: cannot read"), missing.getMessage());
        Path unknown = Files.writeString(dir.resolve("unknown.yaml"), "proxy:\n  graphql-prot: 7000\n");
        ConfigException typo = assertThrows(ConfigException.class, () -> JoineryConfig.load(Map.of("JOINERY_CONFIG_FILE", unknown.toString())));
        assertTrue(typo.getMessage().startsWith("unknown configuration key proxy.graphql-prot"), typo.getMessage());
        assertTrue(!typo.getMessage().contains("\n"), "one line");
    }

    @Test
    void databaseWorkIsBoundedByDefaultAndTheBoundsAreSettable() {
        JoineryConfig defaults = JoineryConfig.load(Map.of());
        assertEquals(Duration.ofSeconds(5), defaults.statementTimeout());
        assertEquals(Duration.ofSeconds(5), defaults.poolTimeout());
        assertEquals(12, defaults.maxBoolExpDepth());
        assertEquals(512, defaults.maxBoolExpNodes());
        JoineryConfig set = JoineryConfig.load(Map.of("JOINERY_STATEMENT_TIMEOUT_MS", "1500", "JOINERY_POOL_TIMEOUT_MS", "250",
                "JOINERY_MAX_BOOL_EXP_DEPTH", "20", "JOINERY_MAX_BOOL_EXP_NODES", "64"));
        assertEquals(Duration.ofMillis(1500), set.statementTimeout());
        assertEquals(Duration.ofMillis(250), set.poolTimeout());
        assertEquals(20, set.maxBoolExpDepth());
        assertEquals(64, set.maxBoolExpNodes());
        ConfigException zero = assertThrows(ConfigException.class, () -> JoineryConfig.load(Map.of("JOINERY_STATEMENT_TIMEOUT_MS", "0")));
        assertEquals("JOINERY_STATEMENT_TIMEOUT_MS must be a positive number, got 0", zero.getMessage());
    }

    @Test
    void anAdminListenerOffLoopbackNeedsASecret() {
        ConfigException exposed = assertThrows(ConfigException.class, () -> JoineryConfig.load(Map.of("JOINERY_ADMIN_HOST", "0.0.0.0")));
        assertTrue(exposed.getMessage().contains("JOINERY_ADMIN_SECRET"), exposed.getMessage());
        assertEquals("0.0.0.0", JoineryConfig.load(Map.of("JOINERY_ADMIN_HOST", "0.0.0.0", "JOINERY_ADMIN_SECRET", "s")).adminHost());
    }

    @Test
    void aJoineryVariableThatIsNoSettingIsNamedWithTheSettingMeant() {
        assertEquals(List.of(
                        "JOINERY_PLAN_CACHE_SIZE is not a Joinery setting and is ignored; use JOINERY_PLAN_CACHE_BYTES (the plan cache is bounded by bytes, not entries)",
                        "JOINERY_STATEMENT_TIMEOUT is not a Joinery setting and is ignored; did you mean JOINERY_STATEMENT_TIMEOUT_MS?",
                        "JOINERY_WHATEVER is not a Joinery setting and is ignored"),
                JoineryConfig.unknownVariables(Map.of("JOINERY_STATEMENT_TIMEOUT", "1000", "JOINERY_PLAN_CACHE_SIZE", "10",
                        "JOINERY_WHATEVER", "x", "JOINERY_POOL_SIZE", "4", "JOINERY_CONFIG_FILE", "f", "PATH", "/bin")));
    }

    @Test
    void startAndStopHaveBoundedDefaultsAndTakeSettings() {
        JoineryConfig.Lifecycle defaults = JoineryConfig.load(Map.of()).lifecycle();
        assertEquals(new JoineryConfig.Lifecycle(Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(10)), defaults);
        JoineryConfig.Lifecycle set = JoineryConfig.load(Map.of("JOINERY_STARTUP_TIMEOUT_SECONDS", "5",
                "JOINERY_SHUTDOWN_DRAIN_SECONDS", "0", "JOINERY_SHUTDOWN_GRACE_SECONDS", "3")).lifecycle();
        assertEquals(new JoineryConfig.Lifecycle(Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(3)), set, "a drain of 0 is none");
        ConfigException grace = assertThrows(ConfigException.class, () -> JoineryConfig.load(Map.of("JOINERY_SHUTDOWN_GRACE_SECONDS", "0")));
        assertEquals("JOINERY_SHUTDOWN_GRACE_SECONDS must be a positive number, got 0", grace.getMessage());
        ConfigException drain = assertThrows(ConfigException.class, () -> JoineryConfig.load(Map.of("JOINERY_SHUTDOWN_DRAIN_SECONDS", "-1")));
        assertEquals("JOINERY_SHUTDOWN_DRAIN_SECONDS must be 0 or a positive number, got -1", drain.getMessage());
    }
}
