package io.joinery.it.golden;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The diff a failed golden case prints. */
class UnifiedDiffTest {

    @Test
    void showsRemovedThenAddedLinesWithThreeLinesOfContext() {
        String expected = "1\n2\n3\n4\n5\n6\n7\n8\n";
        String actual = "1\n2\n3\n4\n5\nsix\n7\n8\n";
        assertEquals("""
                --- expected
                +++ actual
                @@ ...
                  3
                  4
                  5
                - 6
                + six
                  7
                  8
                """, UnifiedDiff.of("expected", expected, "actual", actual));
    }
}
