package io.joinery.it;

import io.joinery.it.support.EndToEndCase;
import io.joinery.it.support.SidecarOnDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * SQL injection attempts in every kind of argument ({@code cases/injection}): each case gets its expected
 * answer (no rows, or a validation or data error), and afterwards every table of the schema still exists
 * with exactly the rows it had, and the sidecar still answers. Each case sends the statements expected
 * of it ({@link EndToEndCase#run}: none when refused by validation) and no payload is in their texts:
 * values reach Postgres only as bind parameters.
 */
class SqlInjectionTest {

    private static final List<String> TABLES = List.of("author", "article", "comment", "all_types", "odd_columns");

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("injection", "/it/schema.sql", "/it/metadata.yaml").recorded();
    private static long fingerprint;

    @BeforeAll
    static void start() {
        fingerprint = fingerprint();
    }

    static Stream<EndToEndCase> cases() {
        return EndToEndCase.load("injection");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void leavesTheDataUntouched(EndToEndCase testCase) {
        List<String> statements = testCase.run(served);

        Set<String> payloads = testCase.payloads();
        if (testCase.file().startsWith("values")) {
            assertFalse(payloads.isEmpty(), "a value case carries a payload with a quote or a semicolon: " + testCase);
        }
        for (String payload : payloads) {
            for (String sql : statements) {
                assertFalse(sql.contains(payload), "payload " + payload + " of " + testCase + " is in the text of a statement: " + sql);
            }
        }

        assertEquals(fingerprint, fingerprint(), "hash of the tables' rows after " + testCase);
        assertEquals("{\"data\":{\"author_aggregate\":{\"aggregate\":{\"count\":10}}}}",
                served.sidecar().client().query("{ author_aggregate { aggregate { count } } }").json().toString(),
                "the sidecar's answer after " + testCase);
    }

    /** A hash of every row of every table, in key order; fails when a table is gone. */
    private static long fingerprint() {
        StringBuilder rows = new StringBuilder("SELECT ('x' || left(md5(concat_ws('#'");
        for (String table : TABLES) {
            rows.append(", (SELECT string_agg(t::text, '|' ORDER BY t.id) FROM public.").append(table).append(" AS t)");
        }
        return served.database().queryLong(rows.append(")), 15))::bit(60)::bigint").toString());
    }
}
