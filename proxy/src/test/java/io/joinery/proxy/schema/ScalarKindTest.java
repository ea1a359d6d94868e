package io.joinery.proxy.schema;

import io.joinery.admin.check.GraphqlScalars;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScalarKindTest {

    /** The admin checks let actions and custom types use the scalars the engine names; the two lists must not drift apart. */
    @Test
    void theAdminChecksKnowEveryScalarNameTheEngineGivesAPostgresType() {
        Map<String, String> engine = new TreeMap<>();
        for (ScalarKind kind : ScalarKind.values()) {
            if (kind == ScalarKind.OTHER) {
                continue;
            }
            String name = kind.graphqlName(null);
            if (!GraphqlScalars.BUILT_IN.contains(name)) {
                engine.put(name, GraphqlScalars.POSTGRES.getOrDefault(name, "(missing)"));
            }
        }
        assertEquals(new TreeMap<>(GraphqlScalars.POSTGRES), engine, "ScalarKind's names against GraphqlScalars.POSTGRES");
        GraphqlScalars.POSTGRES.forEach((graphql, postgres) -> assertEquals(graphql, ScalarKind.of(postgres, false).graphqlName(postgres),
                "the engine names Postgres type " + postgres));
    }
}
