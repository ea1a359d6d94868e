import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client of scripts/aot-cache.sh's training run: finds the sidecar's ports in its log (it
 * listens on free ones), waits (at most 300 s, while its process lives) for it to be ready, then
 * sends it queries of each kind the demo data serves and reads its metrics.
 * Usage: java scripts/TrainingClient.java SIDECAR_LOG SIDECAR_PID
 */
public class TrainingClient {
    private static final Pattern SERVES = Pattern.compile("serves GraphQL on (http://\\S+/v1/graphql) and its admin API on (http://\\S+)");

    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[0]);
        ProcessHandle sidecar = ProcessHandle.of(Long.parseLong(args[1])).orElseThrow(() -> new IllegalStateException("the sidecar has stopped"));
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        Matcher serves = SERVES.matcher("");
        while (!serves.reset(Files.exists(log) ? Files.readString(log) : "").find()) {
            if (System.nanoTime() > deadline || !sidecar.isAlive()) {
                throw new IllegalStateException("the sidecar did not say where it serves");
            }
            Thread.sleep(100);
        }
        String graphql = serves.group(1);
        String admin = serves.group(2);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        while (status(http, HttpRequest.newBuilder(URI.create(admin + "/health/ready")).build()) != 200) {
            if (System.nanoTime() > deadline || !sidecar.isAlive()) {
                throw new IllegalStateException("the sidecar was not ready");
            }
            Thread.sleep(100);
        }
        String[] queries = {
            "{ author(where: {id: {_gt: %d}}, order_by: {id: asc}, limit: 5) { id name } }",
            "{ author(limit: 2, offset: %d) { name articles(limit: 3, order_by: {id: desc}) { title comments { body } } } }",
            "{ article_aggregate(where: {author_id: {_eq: %d}}) { aggregate { count } } }",
            "{ article_by_pk(id: %d) { title author { name } } }"};
        for (int i = 1; i <= 50; i++) {
            for (String query : queries) {
                String body = "{\"query\":\"" + String.format(query, i) + "\"}";
                int status = status(http, HttpRequest.newBuilder(URI.create(graphql)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
                if (status != 200) {
                    throw new IllegalStateException(status + " for " + body);
                }
            }
            status(http, HttpRequest.newBuilder(URI.create(admin + "/metrics")).build());
        }
    }

    private static int status(HttpClient http, HttpRequest request) throws InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException notListeningYet) {
            return 0;
        }
    }
}
