package io.joinery.it;

import io.joinery.it.support.EndToEndCase;
import io.joinery.it.support.SidecarOnDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SQL injection attempts in every kind of argument ({@code cases/injection}): each case gets its expected
 * answer (no rows, or a validation or data error), and afterwards every table of the schema still exists
 * with exactly the rows it had, and the sidecar still answers.
 */
class SqlInjectionTest {

    private static final List<String> TABLES = List.of("author", "article", "comment", "all_types", "odd_columns");

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("injection", "/it/schema.sql", "/it/metadata.yaml");
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
        testCase.run(served.sidecar().client());

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
