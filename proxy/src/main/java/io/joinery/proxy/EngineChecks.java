package io.joinery.proxy;

import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.check.ConsistencyCheck;
import io.joinery.admin.check.Problem;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.RemoteSchemaConfig;
import io.joinery.proxy.remote.RemoteFailure;
import io.joinery.proxy.remote.RemoteSchema;
import io.joinery.proxy.schema.SchemaModelBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The engine's consistency checks beside the admin API's own: what only schema generation knows —
 * GraphQL names that are invalid or collide, remote schemas that do not answer introspection, and
 * remote relationships whose field path, arguments or columns do not resolve.
 */
public final class EngineChecks {

    private EngineChecks() {
    }

    /** @param introspect answers a remote schema's introspection, or throws {@link RemoteFailure} */
    public static List<ConsistencyCheck> all(Function<RemoteSchemaConfig, RemoteSchema> introspect) {
        return List.of((metadata, catalogs) -> check(metadata, catalogs, introspect));
    }

    private static List<Problem> check(Metadata metadata, Map<String, DatabaseCatalog> catalogs,
                                       Function<RemoteSchemaConfig, RemoteSchema> introspect) {
        List<Problem> problems = new ArrayList<>();
        Map<String, RemoteSchema> remotes = new LinkedHashMap<>();
        for (RemoteSchemaConfig config : metadata.remoteSchemas()) {
            try {
                remotes.put(config.name(), introspect.apply(config));
            } catch (RuntimeException e) {
                problems.add(new Problem("remote schema " + config.name(), "introspection", e.getMessage()));
            }
        }
        SchemaModelBuilder.build(metadata, catalogs, remotes).problems().stream()
                .filter(problem -> problem.contains("GraphQL") || problem.contains("already used") || problem.contains("collides")
                        || (problem.contains("remote") && !problem.contains("is unavailable") && !problem.contains("is not available")))
                .map(problem -> new Problem(problem.startsWith("remote schema") ? "remote schema" : "graphql schema",
                        problem.contains("remote") ? "remote schema" : "generated names", problem))
                .forEach(problems::add);
        return problems;
    }
}
