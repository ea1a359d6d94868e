package io.joinery.it;

import io.joinery.it.support.EndToEndCase;
import io.joinery.it.support.SidecarOnDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * Metadata that declares no relationships but infers them from foreign keys, and renames columns, root
 * fields and types: every case under {@code cases/inferred}, against {@code it/metadata-inferred.yaml}.
 */
class InferredMetadataTest {

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("inferred", "/it/schema.sql", "/it/metadata-inferred.yaml").recorded();

    static Stream<EndToEndCase> cases() {
        return EndToEndCase.load("inferred");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersAsExpected(EndToEndCase testCase) {
        testCase.run(served);
    }
}
