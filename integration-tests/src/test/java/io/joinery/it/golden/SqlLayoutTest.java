package io.joinery.it.golden;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The layout of golden SQL changes whitespace only, and never inside quotes. */
class SqlLayoutTest {

    @Test
    void putsEachSubqueryInAnIndentedBlockAndItsClausesOnTheirOwnLines() {
        assertEquals("""
                SELECT (
                  SELECT count(*)
                  FROM "t" AS t0
                  WHERE t0."id" = $1
                  ORDER BY t0."id" ASC
                )::text""", SqlLayout.of("SELECT (SELECT count(*) FROM \"t\" AS t0 WHERE t0.\"id\" = $1 ORDER BY t0.\"id\" ASC)::text"));
    }

    @Test
    void leavesTheClausesOfACallsArgumentsAndQuotedTextAlone() {
        String sql = "SELECT json_agg(x ORDER BY y) FROM \"a (SELECT b FROM c)\" WHERE 'd ( FROM e' = ' ) LIMIT '''";
        assertEquals("SELECT json_agg(x ORDER BY y)\nFROM \"a (SELECT b FROM c)\"\nWHERE 'd ( FROM e' = ' ) LIMIT '''", SqlLayout.of(sql));
    }
}
