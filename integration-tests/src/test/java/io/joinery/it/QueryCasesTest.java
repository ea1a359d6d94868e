package io.joinery.it;

import io.joinery.it.support.EndToEndCase;
import io.joinery.it.support.SidecarOnDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * The GraphQL surface end to end: every case under {@code cases/queries} (see {@link EndToEndCase})
 * posted over HTTP to one sidecar serving {@code it/schema.sql} with {@code it/metadata.yaml}, through a
 * statement recorder: each case also asserts the number of statements it sent.
 */
class QueryCasesTest {

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("queries", "/it/schema.sql", "/it/metadata.yaml").recorded();

    static Stream<EndToEndCase> cases() {
        return EndToEndCase.load("queries");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersAsExpected(EndToEndCase testCase) {
        testCase.run(served);
    }
}
