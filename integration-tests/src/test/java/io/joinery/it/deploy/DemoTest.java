package io.joinery.it.deploy;

import io.joinery.it.support.JarProcess;
import io.joinery.it.support.JsonTrees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar proxy/target/joinery.jar demo} as a new user runs it (Note [The demo] in
 * {@code Demo}): one process with the embedded database, a federation subgraph and an action handler
 * of its own, that prints example queries (a remote join, a batch join, an action relationship) as {@code curl} lines; each printed line, sent as the shell
 * would send it, answers the demo's data.
 */
class DemoTest {

    /** A printed example: {@code curl -s URL -d '<JSON body>'}, the body single-quoted for the shell (so it holds no quote). */
    private static final Pattern EXAMPLE = Pattern.compile("(?m)^curl -s (http://\\S+/v1/graphql) -d '([^']*)'$");
    private static final Pattern CONSOLE = Pattern.compile("console  (http://\\S+/console)");
    private static final Pattern SUBGRAPH = Pattern.compile("Apollo Federation subgraph\\) on (http://\\S+/graphql)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path directory;
    private static JarProcess demo;

    @BeforeAll
    static void startDemo() {
        demo = JarProcess.start(JarProcess.jar(), directory, Map.of("JOINERY_SHUTDOWN_DRAIN_SECONDS", "0"), "demo");
        demo.await(() -> demo.output().contains("Ctrl-C stops the demo."), Duration.ofSeconds(120), "the demo did not print its guide");
    }

    @AfterAll
    static void stopDemo() {
        if (demo != null) {
            demo.process().destroy(); // SIGTERM: the embedded database stops too
            demo.exitCode(Duration.ofSeconds(30));
            demo.close();
        }
    }

    @Test
    void eachPrintedExampleAnswersTheJoinedData() throws Exception {
        List<String> answers = new ArrayList<>();
        Matcher example = EXAMPLE.matcher(demo.output());
        while (example.find()) {
            answers.add(post(example.group(1), "application/x-www-form-urlencoded", example.group(2)).body()); // as curl -d sends it
        }
        assertEquals(3, answers.size(), "three examples printed:\n" + demo.output());
        assertEquals(JsonTrees.parse("""
                {"data":{"author":[
                  {"name":"Ada Lovelace","profile":{"handle":"@ada","city":"London"}},
                  {"name":"Alan Turing","profile":{"handle":"@alan","city":"Manchester"}},
                  {"name":"Grace Hopper","profile":{"handle":"@grace","city":"Arlington"}}]}}"""),
                JsonTrees.parse(answers.get(0)), "the remote join: tables joined to the subgraph's entities");
        assertEquals(JsonTrees.parse("""
                {"data":{"article":[
                  {"title":"Notes on the Analytical Engine","reviews":[{"reviewer":"Hedy","stars":4},{"reviewer":"Claude","stars":5}]},
                  {"title":"Bernoulli Numbers by Machine","reviews":[{"reviewer":"Claude","stars":3},{"reviewer":"Katherine","stars":4},
                    {"reviewer":"John","stars":5}]},
                  {"title":"On Computable Numbers","reviews":[{"reviewer":"John","stars":4},{"reviewer":"Frances","stars":5}]}]}}"""),
                JsonTrees.parse(answers.get(1)), "the batch join: every article's reviews, matched back by key");
        assertEquals(JsonTrees.parse("""
                {"data":{"recommendedArticles":[
                  {"score":0.93,"article":{"title":"On Computable Numbers","author":{"name":"Alan Turing","profile":{"handle":"@alan"}}}},
                  {"score":0.81,"article":{"title":"Compilers for Everyone","author":{"name":"Grace Hopper","profile":{"handle":"@grace"}}}}]}}"""),
                JsonTrees.parse(answers.get(2)), "the action relationship: the handler's ids joined to the tables, then to the subgraph");
    }

    @Test
    void theDemoRemoteIsAFederationSubgraphAnnouncedInTheLog() throws Exception {
        Matcher subgraph = SUBGRAPH.matcher(demo.output());
        assertTrue(subgraph.find(), "the log names the subgraph's URL:\n" + demo.output());
        String sdl = JsonTrees.parse(post(subgraph.group(1), "application/json", "{\"query\":\"{ _service { sdl } }\"}").body()).at("/data/_service/sdl").asText();
        assertTrue(sdl.contains("type Profile @key(fields: \"authorId\")"), sdl);
    }

    @Test
    void thePrintedConsoleUrlServesTheConsole() throws Exception {
        Matcher console = CONSOLE.matcher(demo.output());
        assertTrue(console.find(), demo.output());
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(console.group(1))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("GraphiQL"), page.body());
    }

    private static HttpResponse<String> post(String url, String type, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
