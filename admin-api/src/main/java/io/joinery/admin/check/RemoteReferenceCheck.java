package io.joinery.admin.check;

import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.RemoteSchemaConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every remote relationship, of a table or of a remote schema's type, names a remote schema the
 * document declares. The engine's checks
 * introspect the declared remotes and resolve the relationships' field paths, but do not count a
 * relationship to an undeclared remote as a problem (they leave "not available" out, so that an
 * unreachable remote is reported once, on the remote). Found from the document alone.
 */
final class RemoteReferenceCheck implements ConsistencyCheck {

    @Override
    public List<Problem> check(Metadata metadata, Map<String, DatabaseCatalog> catalogs) {
        Set<String> declared = metadata.remoteSchemas().stream().map(RemoteSchemaConfig::name).collect(Collectors.toSet());
        List<Problem> problems = new ArrayList<>();
        RemoteRef.remoteRelationships(metadata).forEach((ref, relationship) -> {
            if (!declared.contains(relationship.remoteSchema())) {
                problems.add(new Problem(ref.describe(), "remote schema " + relationship.remoteSchema(), "the remote schema is not declared"));
            }
        });
        RemoteRef.remoteTypeRelationships(metadata).forEach((ref, relationship) -> {
            if (!declared.contains(relationship.remoteSchema())) {
                problems.add(new Problem(ref.describe(), "remote schema " + relationship.remoteSchema(), "the remote schema is not declared"));
            }
        });
        return problems;
    }
}
