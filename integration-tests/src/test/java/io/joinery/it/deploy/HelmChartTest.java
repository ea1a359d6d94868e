package io.joinery.it.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Helm charts in {@code charts/joinery} (the standalone chart, and its library chart
 * {@code joinery-sidecar} for adding the container to your own Deployment), linted and rendered by
 * Helm itself (helm-java embeds it), without a cluster: the probes, the security context, secrets
 * only through secretKeyRef, the optional ServiceMonitor and dashboards.
 */
class HelmChartTest {

    private static final Path CHART = Path.of(System.getProperty("joinery.chart", "../charts/joinery")).toAbsolutePath().normalize();
    private static final Path LIBRARY = CHART.resolve("charts/joinery-sidecar");
    private static final Pattern SECRET_LOOKING = Pattern.compile("(?i).*(SECRET|PASSWORD|TOKEN|_URL$|HEADERS$).*");
    private static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    Path temporary;

    @Test
    void bothChartsLintStrictly() {
        for (Path chart : List.of(CHART, LIBRARY)) {
            LintResult lint = new Helm(chart).lint().strict().call();
            assertFalse(lint.isFailed(), chart + ": " + lint.getMessages());
            assertTrue(lint.getMessages().stream().noneMatch(m -> m.startsWith("[ERROR]") || m.startsWith("[WARNING]")), lint.getMessages().toString());
        }
    }

    @Test
    void theContainerIsProbedAndLockedDown() {
        JsonNode pod = single(render(CHART, t -> t), "Deployment").path("spec").path("template").path("spec");
        JsonNode container = container(pod.path("containers"), "joinery");
        assertProbe(container.path("startupProbe"), "/health/live");
        assertProbe(container.path("livenessProbe"), "/health/live");
        assertProbe(container.path("readinessProbe"), "/health/ready");
        JsonNode security = container.path("securityContext");
        assertTrue(security.path("runAsNonRoot").asBoolean(), security.toString());
        assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), security.toString());
        assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), security.toString());
        assertEquals("[\"ALL\"]", security.path("capabilities").path("drop").toString(), security.toString());
        assertEquals("/tmp", container.path("volumeMounts").get(0).path("mountPath").asText(), "a writable /tmp on the read-only root");
        assertEquals("joinery-tmp", pod.path("volumes").get(0).path("name").asText(), pod.toString());
        assertTrue(container.path("resources").path("limits").has("memory"), container.toString());
        assertTrue(pod.path("terminationGracePeriodSeconds").asInt() >= 5 + 10 + 5,
                "the pod waits for the drain (5 s), the requests in flight (10 s) and the close (5 s): " + pod.path("terminationGracePeriodSeconds"));
        assertEquals("0.0.0.0", env(container, "JOINERY_ADMIN_HOST").path("value").asText(), "the kubelet reaches the admin listener");
    }

    @Test
    void secretsReachTheContainerOnlyThroughSecretKeyRefs() {
        List<JsonNode> documents = render(CHART, t -> t
                .set("joinery.metadata.databaseUrl.name", "joinery-store")
                .set("joinery.secretEnv.ANALYTICS_DATABASE_URL.name", "analytics")
                .set("joinery.secretEnv.ANALYTICS_DATABASE_URL.key", "url")
                .set("joinery.otel.OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
                .set("joinery.env.JOINERY_POOL_SIZE", "4"));
        JsonNode container = container(single(documents, "Deployment").path("spec").path("template").path("spec").path("containers"), "joinery");
        List<String> fromSecrets = new ArrayList<>();
        for (JsonNode variable : container.path("env")) {
            String name = variable.path("name").asText();
            if (SECRET_LOOKING.matcher(name).matches()) {
                assertFalse(variable.has("value"), "a plain value for " + variable);
                assertTrue(variable.path("valueFrom").has("secretKeyRef"), variable.toString());
                fromSecrets.add(name);
            }
        }
        assertEquals(List.of("JOINERY_ADMIN_SECRET", "JOINERY_DATABASE_URL", "JOINERY_METADATA_DATABASE_URL", "ANALYTICS_DATABASE_URL"), fromSecrets);
        assertEquals("http://collector:4318", env(container, "OTEL_EXPORTER_OTLP_ENDPOINT").path("value").asText());
        assertEquals("4", env(container, "JOINERY_POOL_SIZE").path("value").asText());
    }

    @Test
    void aSecretGivenAsAPlainValueOrNoSecretAtAllFailsTheRender() {
        Map<String, String> refused = Map.of(
                "joinery.env.JOINERY_ADMIN_SECRET", "set by the chart",
                "joinery.env.JOINERY_DATABASE_URL", "set by the chart",
                "joinery.env.JOINERY_SOURCE_PASSWORD", "may hold a secret",
                "joinery.otel.OTEL_EXPORTER_OTLP_HEADERS", "may hold a secret",
                "joinery.env.OTEL_SERVICE_NAME", "only JOINERY_* settings here",
                "joinery.jwt.secret", "verifies no JWTs yet",
                "joinery.admin.secret.name", "name the Secret holding JOINERY_ADMIN_SECRET");
        refused.forEach((key, message) -> {
            Exception failure = assertThrows(Exception.class, () -> render(CHART, t -> t.set(key, key.endsWith(".name") ? "" : "x")), key);
            assertTrue(String.valueOf(failure.getMessage()).contains(message), key + ": " + failure.getMessage());
        });
    }

    @Test
    void theServiceMonitorIsOptional() {
        assertTrue(render(CHART, t -> t).stream().noneMatch(d -> d.path("kind").asText().equals("ServiceMonitor")), "none by default");
        JsonNode monitor = single(render(CHART, t -> t.set("serviceMonitor.enabled", "true")), "ServiceMonitor");
        assertEquals("admin", monitor.path("spec").path("endpoints").get(0).path("port").asText(), monitor.toString());
        assertEquals("/metrics", monitor.path("spec").path("endpoints").get(0).path("path").asText(), monitor.toString());
    }

    @Test
    void theDashboardsOfTheFolderShipAsOneConfigMap() throws IOException {
        Path chart = copy(CHART, temporary.resolve("joinery"));
        Files.writeString(chart.resolve("dashboards/joinery-test.json"), "{\"title\": \"Joinery test\"}");
        JsonNode config = single(render(chart, t -> t), "ConfigMap");
        assertEquals("1", config.path("metadata").path("labels").path("grafana_dashboard").asText(), config.toString());
        assertEquals("{\"title\": \"Joinery test\"}", config.path("data").path("joinery-test.json").asText(), config.toString());
        try (Stream<Path> files = Files.list(CHART.resolve("dashboards"))) {
            long shipped = files.filter(f -> f.toString().endsWith(".json")).count();
            List<JsonNode> maps = render(CHART, t -> t).stream().filter(d -> d.path("kind").asText().equals("ConfigMap")).toList();
            assertEquals(shipped == 0 ? 0 : 1, maps.size(), "the repository's own dashboards: " + shipped);
            maps.forEach(map -> assertEquals(shipped, map.path("data").size(), map.toString()));
        }
    }

    @Test
    void theLibraryAddsTheContainerToAUsersOwnDeployment() throws IOException {
        Path chart = temporary.resolve("shop");
        copy(LIBRARY, chart.resolve("charts/joinery-sidecar"));
        Files.writeString(chart.resolve("Chart.yaml"), """
                apiVersion: v2
                name: shop
                version: 1.0.0
                dependencies:
                  - name: joinery-sidecar
                    version: 0.1.0
                    repository: file://charts/joinery-sidecar
                """);
        Files.writeString(chart.resolve("values.yaml"), """
                joinery:
                  admin: { secret: { name: shop-joinery } }
                  database: { url: { name: shop-db, key: url } }
                """);
        Files.createDirectories(chart.resolve("templates"));
        Files.writeString(chart.resolve("templates/deployment.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: { name: shop }
                spec:
                  selector: { matchLabels: { app: shop } }
                  template:
                    metadata: { labels: { app: shop } }
                    spec:
                      terminationGracePeriodSeconds: {{ include "joinery-sidecar.terminationGracePeriodSeconds" . }}
                      containers:
                        - name: shop
                          image: shop:1
                          env: [ { name: GRAPHQL_URL, value: "http://127.0.0.1:8080/v1/graphql" } ]
                        {{- include "joinery-sidecar.container" . | nindent 8 }}
                      volumes:
                        {{- include "joinery-sidecar.volumes" . | nindent 8 }}
                """);
        assertFalse(new Helm(chart).lint().strict().call().isFailed());
        JsonNode pod = single(render(chart, t -> t), "Deployment").path("spec").path("template").path("spec");
        assertEquals(List.of("shop", "joinery"), pod.path("containers").findValuesAsText("name").stream()
                .filter(n -> n.equals("shop") || n.equals("joinery")).distinct().toList());
        JsonNode joinery = container(pod.path("containers"), "joinery");
        assertEquals("127.0.0.1", env(joinery, "JOINERY_GRAPHQL_HOST").path("value").asText(), "GraphQL for the application in the pod only");
        assertEquals("shop-db", env(joinery, "JOINERY_DATABASE_URL").path("valueFrom").path("secretKeyRef").path("name").asText());
        assertEquals("url", env(joinery, "JOINERY_DATABASE_URL").path("valueFrom").path("secretKeyRef").path("key").asText());
        assertEquals("joinery-tmp", pod.path("volumes").get(0).path("name").asText(), pod.toString());
        assertEquals(25, pod.path("terminationGracePeriodSeconds").asInt());
    }

    private static void assertProbe(JsonNode probe, String path) {
        assertEquals(path, probe.path("httpGet").path("path").asText(), probe.toString());
        assertEquals("joinery-admin", probe.path("httpGet").path("port").asText(), probe.toString());
        assertTrue(probe.path("timeoutSeconds").asInt() >= 3, "readiness pings the sources within 2 s: " + probe);
    }

    private static List<JsonNode> render(Path chart, UnaryOperator<TemplateCommand> settings) {
        String manifests = settings.apply(new Helm(chart).template().withName("demo")).call();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(manifests)) {
            return documents.readAll().stream().filter(d -> d != null && !d.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode single(List<JsonNode> documents, String kind) {
        List<JsonNode> found = documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        assertEquals(1, found.size(), kind + " in " + documents);
        return found.getFirst();
    }

    private static JsonNode container(JsonNode containers, String name) {
        for (JsonNode container : containers) {
            if (container.path("name").asText().equals(name)) {
                return container;
            }
        }
        throw new AssertionError("no container " + name + " in " + containers);
    }

    private static JsonNode env(JsonNode container, String name) {
        for (JsonNode variable : container.path("env")) {
            if (variable.path("name").asText().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("no variable " + name + " in " + container.path("env"));
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return to;
    }
}
