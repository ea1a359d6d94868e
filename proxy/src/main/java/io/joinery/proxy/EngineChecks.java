package io.joinery.proxy;

import io.joinery.admin.check.ConsistencyCheck;
import io.joinery.admin.check.Problem;
import io.joinery.proxy.schema.SchemaModelBuilder;

import java.util.List;

/**
 * The engine's consistency checks beside the admin API's own: what only schema generation knows —
 * GraphQL names that are invalid or collide across tables, relationships and columns.
 */
public final class EngineChecks {

    private EngineChecks() {
    }

    public static List<ConsistencyCheck> all() {
        return List.of(EngineChecks::graphqlNames);
    }

    private static List<Problem> graphqlNames(io.joinery.admin.metadata.Metadata metadata,
                                              java.util.Map<String, io.joinery.admin.catalog.DatabaseCatalog> catalogs) {
        return SchemaModelBuilder.build(metadata, catalogs).problems().stream()
                .filter(problem -> problem.contains("GraphQL") || problem.contains("already used") || problem.contains("collides"))
                .map(problem -> new Problem("graphql schema", "generated names", problem))
                .toList();
    }
}
