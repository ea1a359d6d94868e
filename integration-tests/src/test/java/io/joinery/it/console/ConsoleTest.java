package io.joinery.it.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.joinery.it.support.Chromium;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestGraphqlServer;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console ({@code GET /console} on the admin listener) in a real headless Chromium, as a user
 * meets it: the page loads with every asset from the jar (its Content-Security-Policy refuses any
 * other origin, and the browser reports no error), the admin secret and a role typed into the page
 * reach GraphQL as headers, a query typed into GraphiQL returns the data, the role's schema is the one
 * queried, GraphQL Voyager draws the joined graph (tables, the remote schema's types, an action's
 * output, the relationships between them), Swagger UI shows the admin API's operations; and the secret is nowhere but in those headers
 * (not in the URL, storage or cookies). Screenshots: {@code target/console/*.png}.
 */
@Tag("browser")
class ConsoleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCREENSHOTS = Path.of("target", "console");
    private static final String QUERY_EDITOR = ".graphiql-query-editor .CodeMirror";
    private static final String RESPONSE_EDITOR = ".graphiql-response .CodeMirror";

    static TestDatabase db;
    static TestGraphqlServer remote;
    static TestSidecar sidecar;
    Chromium browser;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("console").load("/it/schema.sql");
        remote = new TestGraphqlServer();
        sidecar = TestSidecar.start(db.url(), "/it/metadata-console.yaml", Map.of("PROFILES_URL", remote.url()));
    }

    @AfterAll
    static void stop() {
        try (TestSidecar s = sidecar; TestGraphqlServer r = remote) {
            // closes the sidecar, then the remote and the database
        } finally {
            db.close();
        }
    }

    @BeforeEach
    void openConsole() throws IOException {
        browser = Chromium.start();
        browser.open(sidecar.adminUri("/console"));
        browser.await("GraphiQL's query editor", () -> browser.evaluate("document.querySelector('" + QUERY_EDITOR + "') !== null").asBoolean());
    }

    @AfterEach
    void closeBrowser() throws IOException {
        browser.close();
    }

    @Test
    void aQueryTypedIntoGraphiqlReturnsDataWithTheSecretTypedIntoThePage() throws IOException {
        browser.screenshot(SCREENSHOTS.resolve("01-console-loaded.png"));
        typeInto("#admin-secret", TestSidecar.ADMIN_SECRET);

        JsonNode answer = run("{ author(order_by: {id: asc}, limit: 2) { name } }");

        assertEquals("[{\"name\":\"Margaret\"},{\"name\":\"Alan\"}]", answer.path("data").path("author").toString(),
                "the answer GraphiQL shows: " + answer);
        browser.screenshot(SCREENSHOTS.resolve("02-graphiql-answer.png"));
        assertEquals(List.of(), problems(), "the browser reported no error (no asset refused, none missing)");
        String kept = browser.evaluate("location.href + JSON.stringify(Object.entries(localStorage))"
                + " + JSON.stringify(Object.entries(sessionStorage)) + document.cookie").asText();
        assertFalse(kept.contains(TestSidecar.ADMIN_SECRET), "the secret is kept nowhere in the browser: " + kept);
    }

    @Test
    void theRoleTypedIntoThePageIsTheSchemaQueried() {
        typeInto("#admin-secret", TestSidecar.ADMIN_SECRET);
        typeInto("#role", "anonymous");

        JsonNode answer = run("{ author { name } }");

        assertTrue(answer.path("data").isMissingNode() || answer.path("data").isNull(), "anonymous has no author: " + answer);
        assertTrue(answer.path("errors").path(0).path("message").asText().contains("author"), "the error names the field: " + answer);
    }

    @Test
    void withoutTheSecretGraphqlIsRefused() {
        JsonNode answer = run("{ author { name } }");

        assertEquals("unauthorized", answer.path("code").asText(), "the console's GraphQL endpoint wants the secret: " + answer);
    }

    @Test
    void voyagerDrawsTheTablesTheRemoteTypesTheActionsAndTheJoinsBetweenThem() throws IOException {
        typeInto("#admin-secret", TestSidecar.ADMIN_SECRET);
        browser.click("#tab-voyager");

        browser.await("Voyager's graph", () -> browser.evaluate("document.querySelectorAll('#voyager svg g.node').length").asInt() > 3);
        String nodes = browser.evaluate("[...document.querySelectorAll('#voyager svg g.node')].map(n => n.id).sort().join(' ')").asText();
        String edges = browser.evaluate("[...document.querySelectorAll('#voyager svg g.edge')].map(e => e.dataset.from + ' => ' + e.dataset.to)"
                + ".sort().join(', ')").asText();
        browser.screenshot(SCREENSHOTS.resolve("05-voyager.png"));

        for (String type : List.of("TYPE::query_root", "TYPE::author", "TYPE::article", "TYPE::Profile", "TYPE::Account", "TYPE::AuthorScore")) {
            assertTrue((" " + nodes + " ").contains(" " + type + " "), "Voyager draws " + type + ": " + nodes);
        }
        assertFalse(nodes.contains("_aggregate"), "the aggregates are left out of the drawing: " + nodes);
        for (String join : List.of("FIELD::author::articles => TYPE::article", "FIELD::author::profile => TYPE::Profile",
                "FIELD::Profile::author => TYPE::author", "FIELD::Profile::account => TYPE::Account",
                "FIELD::query_root::topAuthors => TYPE::AuthorScore", "FIELD::AuthorScore::author => TYPE::author")) {
            assertTrue(edges.contains(join), "Voyager draws the join " + join + ": " + edges);
        }
        assertEquals(List.of(), problems(), "the browser reported no error (the layout's worker and WebAssembly allowed)");
    }

    @Test
    void swaggerUiShowsTheAdminApiOperations() throws IOException {
        typeInto("#admin-secret", TestSidecar.ADMIN_SECRET);
        browser.click("#tab-api");

        browser.await("Swagger UI's operations", () -> browser.evaluate("document.querySelectorAll('#api .opblock').length").asInt() > 5);
        String paths = browser.evaluate("[...document.querySelectorAll('#api .opblock-summary-path')].map(e => e.textContent).join(' ')").asText();
        browser.screenshot(SCREENSHOTS.resolve("03-swagger-ui.png"));

        assertTrue(paths.contains("/admin/v1/metadata"), "the admin API's operations are listed: " + paths);
        assertEquals(List.of(), problems(), "the browser reported no error");
    }

    /** "Try it out" calls this listener (the document's server is port 9090; the test's is not) with the secret typed into the page. */
    @Test
    void swaggerUiTriesAnOperationOnThisListenerWithTheSecret() throws IOException {
        typeInto("#admin-secret", TestSidecar.ADMIN_SECRET);
        browser.click("#tab-api");
        String operation = "#operations-metadata-getMetadata";
        browser.await("Swagger UI's GET /admin/v1/metadata", () -> browser.evaluate("document.querySelector('" + operation + "') !== null").asBoolean());

        browser.click(operation + " .opblock-summary-control");
        browser.await("the operation's details", () -> browser.evaluate("document.querySelector('" + operation + " .try-out__btn') !== null").asBoolean());
        browser.click(operation + " .try-out__btn");
        browser.await("the execute button", () -> browser.evaluate("document.querySelector('" + operation + " .btn.execute') !== null").asBoolean());
        browser.click(operation + " .btn.execute");
        browser.await("the live response", () -> browser.evaluate("document.querySelector('" + operation + " .live-responses-table tbody .response-col_status') !== null").asBoolean());
        String status = browser.evaluate("document.querySelector('" + operation + " .live-responses-table tbody .response-col_status').textContent").asText();
        String body = browser.evaluate("document.querySelector('" + operation + " .live-responses-table tbody .response-col_description pre').textContent").asText();
        browser.evaluate("document.querySelector('" + operation + " .live-responses-table').scrollIntoView()");
        browser.screenshot(SCREENSHOTS.resolve("04-swagger-try-it-out.png"));

        assertEquals("200", status.trim(), "the operation answered on this listener with the secret: " + body);
        assertTrue(body.contains("\"version\"") && body.contains("author"), "the metadata document is shown: " + body);
        String page = browser.evaluate("document.documentElement.outerHTML + document.body.innerText").asText();
        assertFalse(page.contains(TestSidecar.ADMIN_SECRET), "the secret is not written into the page (Swagger UI's curl line)");
    }

    /** What went wrong in the browser, but the 401s of GraphiQL's schema fetch before the secret was typed. */
    private List<String> problems() {
        return browser.problems().stream().filter(problem -> !problem.contains("status of 401")).toList();
    }

    /** Clicks into a field of the page's header, types {@code text}, and leaves it (the page reads it on change). */
    private void typeInto(String selector, String text) {
        browser.click(selector);
        browser.type(text);
        browser.click("header strong");
    }

    /** Types {@code query} into GraphiQL's editor, presses its run button, and reads the answer it shows. */
    private JsonNode run(String query) {
        browser.click(QUERY_EDITOR);
        browser.evaluate("document.querySelector('" + QUERY_EDITOR + "').CodeMirror.execCommand('selectAll')");
        browser.type(query);
        String typed = browser.evaluate("document.querySelector('" + QUERY_EDITOR + "').CodeMirror.getValue()").asText();
        assertEquals(query, typed, "the query editor holds what was typed");
        browser.evaluate("document.querySelector('" + RESPONSE_EDITOR + "').CodeMirror.setValue('')");
        browser.click(".graphiql-execute-button");
        browser.await("GraphiQL's answer", () -> !browser.evaluate("document.querySelector('" + RESPONSE_EDITOR + "').CodeMirror.getValue()")
                .asText().isBlank());
        String shown = browser.evaluate("document.querySelector('" + RESPONSE_EDITOR + "').CodeMirror.getValue()").asText();
        try {
            return JSON.readTree(shown);
        } catch (IOException e) {
            throw new AssertionError("GraphiQL shows an answer that is not JSON: " + shown, e);
        }
    }
}
