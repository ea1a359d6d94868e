package io.joinery.it;

import io.joinery.it.support.EndToEndCase;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * The GraphQL surface end to end: every case under {@code cases/queries} (see {@link EndToEndCase})
 * posted over HTTP to one sidecar serving {@code it/schema.sql} with {@code it/metadata.yaml}.
 */
class QueryCasesTest {

    private static TestDatabase database;
    private static TestSidecar sidecar;

    @BeforeAll
    static void start() {
        database = TestDatabase.create("queries").load("/it/schema.sql");
        sidecar = TestSidecar.start(database.url(), "/it/metadata.yaml");
    }

    @AfterAll
    static void stop() {
        try {
            if (sidecar != null) {
                sidecar.close();
            }
        } finally {
            database.close();
        }
    }

    static Stream<EndToEndCase> cases() {
        return EndToEndCase.load("queries");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersAsExpected(EndToEndCase testCase) {
        testCase.run(sidecar.client());
    }
}
