import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The client of scripts/aot-cache.sh's training run: waits (at most 120 s) for the sidecar on the
 * given ports to be ready, then sends it queries of each kind the demo serves and reads its metrics.
 * Usage: java scripts/TrainingClient.java GRAPHQL_PORT ADMIN_PORT
 */
public class TrainingClient {
    public static void main(String[] args) throws Exception {
        String graphql = "http://127.0.0.1:" + args[0] + "/v1/graphql";
        String admin = "http://127.0.0.1:" + args[1];
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (status(http, HttpRequest.newBuilder(URI.create(admin + "/health/ready")).build()) != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the sidecar was not ready within 120 s");
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
