package io.joinery.it.golden;

import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.StatementRecorder;
import io.joinery.it.support.StatementRecorder.Execution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The golden cases (src/test/resources/golden/README.md): for each operation under {@code golden/cases},
 * what its stages produced, compared exactly with the files under {@code golden/expected} that were
 * reviewed by hand — the answer ({@code .response.json}), every SQL statement sent with its bind values
 * ({@code .sql.txt}) and every document the remote servers received ({@code .remote.txt}). A change of
 * any of them fails with a diff; {@code -Dgolden.update=true} rewrites the files instead, for review.
 */
class GoldenTest {

    private static final Path GOLDEN = goldenDirectory();
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");
    private static final GoldenFiles EXPECTED = new GoldenFiles(GOLDEN.resolve("expected"), UPDATE);
    private static final Map<GoldenWorld.Kind, GoldenWorld> WORLDS = new EnumMap<>(GoldenWorld.Kind.class);

    static List<GoldenCase> cases() {
        return GoldenCase.all(GOLDEN.resolve("cases"));
    }

    /** Starts the worlds the cases use, side by side: most of the test's time is their start. */
    @BeforeAll
    static void startWorlds() throws InterruptedException {
        Map<GoldenWorld.Kind, Future<GoldenWorld>> starting = new EnumMap<>(GoldenWorld.Kind.class);
        try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
            cases().forEach(golden -> starting.computeIfAbsent(golden.world(), kind -> starters.submit(() -> GoldenWorld.start(kind))));
        }
        RuntimeException failure = null;
        for (Map.Entry<GoldenWorld.Kind, Future<GoldenWorld>> world : starting.entrySet()) {
            try {
                WORLDS.put(world.getKey(), world.getValue().get());
            } catch (ExecutionException e) {
                failure = failure != null ? failure : new IllegalStateException("the world " + world.getKey() + " did not start", e.getCause());
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @AfterAll
    static void closeWorlds() {
        WORLDS.values().forEach(GoldenWorld::close);
        WORLDS.clear();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void producesItsGoldenOutputs(GoldenCase golden) {
        GoldenWorld world = WORLDS.get(golden.world());
        Map<String, Integer> statementsBefore = new LinkedHashMap<>();
        world.sources().forEach((source, recorder) -> statementsBefore.put(source, recorder.executions().size()));
        Map<String, Integer> documentsBefore = new LinkedHashMap<>();
        world.remotes().forEach((remote, bodies) -> documentsBefore.put(remote, bodies.get().size()));

        GraphqlClient.GraphqlResponse answer = world.client(golden).query(golden.query(), JsonTrees.toMap(golden.variables()));

        assertEquals(golden.status(), answer.status(), golden.name() + ": " + answer);
        Map<String, List<Execution>> statements = new LinkedHashMap<>();
        world.sources().forEach((source, recorder) -> statements.put(source, since(recorder, statementsBefore.get(source))));
        Map<String, List<String>> documents = new LinkedHashMap<>();
        world.remotes().forEach((remote, bodies) -> {
            List<String> all = bodies.get();
            documents.put(remote, all.subList(documentsBefore.get(remote), all.size()));
        });
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("response.json", StageOutputs.response(answer.status(), answer.json()));
        // Note [Golden plan trees]: the printed plan tree (plan.PlanPrinter) is the planner's output, the
        // stage before the SQL: planned again after the request, for the same session, without running it.
        outputs.put("plan.txt", world.plan(golden));
        outputs.put("sql.txt", StageOutputs.sql(statements, golden.unorderedSql()));
        outputs.put("remote.txt", StageOutputs.remote(documents));
        EXPECTED.check(golden.name(), outputs);
    }

    @Test
    void everyExpectedFileBelongsToACase() {
        List<Path> orphans = EXPECTED.orphans(cases().stream().map(GoldenCase::name).toList());
        assertTrue(orphans.isEmpty(), "expected files without a case under " + GOLDEN.resolve("cases") + ": " + orphans);
    }

    @Test
    void theCasesAreThere() {
        assertTrue(Files.isDirectory(GOLDEN.resolve("cases")), "no " + GOLDEN.resolve("cases") + " (basedir " + System.getProperty("basedir") + ")");
        assertTrue(cases().size() >= 30, "about 30 golden cases, found " + cases().size());
    }

    /**
     * The golden directory in the source tree, where update mode writes: under Maven's {@code basedir};
     * elsewhere (an IDE) found from the copy on the test classpath, {@code <module>/target/test-classes/golden}.
     */
    private static Path goldenDirectory() {
        String basedir = System.getProperty("basedir");
        if (basedir != null) {
            return Path.of(basedir, "src", "test", "resources", "golden");
        }
        URL copy = GoldenTest.class.getResource("/golden/README.md");
        if (copy == null) {
            throw new IllegalStateException("no golden/README.md on the test classpath: run from the module directory or set -Dbasedir");
        }
        try {
            Path module = Path.of(copy.toURI()).getParent().getParent().getParent().getParent();
            return module.resolve(Path.of("src", "test", "resources", "golden"));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot find src/test/resources/golden from " + copy + ": set -Dbasedir", e);
        }
    }

    private static List<Execution> since(StatementRecorder recorder, int from) {
        List<Execution> all = recorder.executions();
        return all.subList(from, all.size());
    }
}
