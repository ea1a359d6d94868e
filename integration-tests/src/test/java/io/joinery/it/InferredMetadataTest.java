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
 * Metadata that declares no relationships but infers them from foreign keys, and renames columns, root
 * fields and types: every case under {@code cases/inferred}, against {@code it/metadata-inferred.yaml}.
 */
class InferredMetadataTest {

    private static TestDatabase database;
    private static TestSidecar sidecar;

    @BeforeAll
    static void start() {
        database = TestDatabase.create("inferred").load("/it/schema.sql");
        sidecar = TestSidecar.start(database.url(), "/it/metadata-inferred.yaml");
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
        return EndToEndCase.load("inferred");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersAsExpected(EndToEndCase testCase) {
        testCase.run(sidecar.client());
    }
}
