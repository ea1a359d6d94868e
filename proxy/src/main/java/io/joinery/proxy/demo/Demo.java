package io.joinery.proxy.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code java -jar joinery.jar demo}: what the demo serves beyond the plain embedded start, and the
 * guide it prints once ready.
 *
 * <pre>{@code
 * try (DemoServices services = DemoServices.start()) {
 *     Map<String, String> env = Demo.environment(System.getenv(), services);
 *     // start the sidecar with env and Demo.metadata(), then print Demo.guide(...)
 * }
 * }</pre>
 */
public final class Demo {

    // Note [The demo]
    // ~~~~~~~~~~~~~~~
    // `demo` shows the joined graph on a machine with nothing but a JDK: the embedded PostgreSQL with
    // the demo dataset (as a start without JOINERY_DATABASE_URL), and the two other kinds of things
    // Joinery joins, served by the same process on one free port of 127.0.0.1 (DemoServices): a remote
    // GraphQL API that is an Apollo Federation subgraph and the REST handler of an action. The demo
    // metadata (demo/demo-metadata.yaml) names their URLs with from_env, and the demo passes them in
    // the environment it gives the sidecar: the metadata stays a plain document a user can read, export
    // and copy, and the services' port can be any. The demo ignores the settings that would point the
    // sidecar elsewhere (JOINERY_DATABASE_URL, JOINERY_METADATA, JOINERY_METADATA_DATABASE_URL) and
    // keeps the others (ports, admin secret). The guide's curl lines are what DemoTest runs.

    /** The variables of the demo metadata's URLs. */
    static final String SUBGRAPH_URL = "DEMO_SUBGRAPH_URL";
    static final String ACTION_URL = "DEMO_ACTION_URL";
    /** The settings the demo ignores: it runs on its own database and metadata. */
    static final Set<String> IGNORED = Set.of("JOINERY_DATABASE_URL", "JOINERY_METADATA", "JOINERY_METADATA_DATABASE_URL");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One example query of the guide: what it shows, and the query. */
    public record Example(String title, String query) {
    }

    /** The guide's queries: a remote join, a batch join and an action's relationship to a table. */
    static final List<Example> EXAMPLES = List.of(
            new Example("A remote join: each author's profile comes from the subgraph, all the authors' in ONE _entities request",
                    "{ author(order_by: {id: asc}, limit: 3) { name profile { handle city } } }"),
            new Example("A batch join: the reviews of every article in ONE call of the remote's list field, matched back by key",
                    "{ article(where: {published: {_eq: true}}, order_by: {id: asc}, limit: 3) { title reviews { reviewer stars } } }"),
            new Example("An action relationship: the REST handler answers article ids, the output's relationship reads"
                    + " the articles in ONE statement, then the authors' profiles from the subgraph",
                    "{ recommendedArticles(forAuthorId: 1) { score article { title author { name profile { handle } } } } }"));

    private Demo() {
    }

    /** The demo's metadata: the demo tables joined to the subgraph and the action. */
    public static Metadata metadata() {
        try (InputStream in = Demo.class.getResourceAsStream("/demo/demo-metadata.yaml")) {
            if (in == null) {
                throw new IllegalStateException("resource /demo/demo-metadata.yaml is missing from the classpath");
            }
            return MetadataCodec.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the demo metadata", e);
        }
    }

    /** The sidecar's environment for the demo (Note [The demo]): {@code env} without {@link #IGNORED}, with the services' URLs. */
    public static Map<String, String> environment(Map<String, String> env, DemoServices services) {
        Map<String, String> demo = new HashMap<>(env);
        demo.keySet().removeAll(IGNORED);
        demo.put(SUBGRAPH_URL, services.subgraphUrl());
        demo.put(ACTION_URL, services.actionUrl());
        return Map.copyOf(demo);
    }

    /** The settings of {@code env} the demo ignores, to say so. */
    public static List<String> ignored(Map<String, String> env) {
        return IGNORED.stream().filter(env::containsKey).sorted().toList();
    }

    /**
     * What the demo prints once ready: where it serves, what it joins, and the example queries as
     * {@code curl} lines (with the admin secret's header, from the shell's variable, when one is set).
     */
    public static String guide(String graphqlUrl, String consoleUrl, DemoServices services, boolean adminSecret) {
        StringBuilder guide = new StringBuilder()
                .append("\nJoinery demo: ready.\n")
                .append("  GraphQL  POST ").append(graphqlUrl).append('\n')
                .append("  console  ").append(consoleUrl).append("  (GraphiQL, the joined graph drawn, the admin API)\n")
                .append("  joined   the tables author, article and comment of an embedded PostgreSQL;\n")
                .append("           the remote GraphQL API 'community', an Apollo Federation subgraph (").append(services.subgraphUrl()).append(");\n")
                .append("           the REST handler of the action recommendedArticles (").append(services.actionUrl()).append(")\n")
                .append("\nTry these (or paste a query into the console's GraphiQL):\n");
        int number = 1;
        for (Example example : EXAMPLES) {
            guide.append("\n# ").append(number++).append(". ").append(example.title()).append('\n')
                    .append("curl -s ").append(graphqlUrl)
                    .append(adminSecret ? " -H \"X-Joinery-Admin-Secret: $JOINERY_ADMIN_SECRET\"" : "")
                    .append(" -d '").append(body(example.query())).append("'\n");
        }
        return guide.append("\nCtrl-C stops the demo.\n").toString();
    }

    private static String body(String query) {
        try {
            return JSON.writeValueAsString(Map.of("query", query));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
