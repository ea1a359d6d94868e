package io.joinery.admin.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.check.MetadataObject;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.store.StoredMetadata;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a write route makes of the current document ({@link MetadataWriter#write}): the next
 * document, the status to answer and the body, which may name the written version.
 */
record Edit(Metadata next, Status status, Function<StoredMetadata, Object> body) {

    /** The answer of a delete: what was deleted and what went with it. */
    static Edit deletion(Metadata next, String deleted, List<String> cascaded) {
        return new Edit(next, Status.OK_200, stored -> Bodies.ordered("deleted", deleted, "cascaded", cascaded));
    }

    /** 200 for a replaced object, 201 for a new one. */
    static Status created(Optional<?> existing) {
        return existing.isPresent() ? Status.OK_200 : Status.CREATED_201;
    }

    /** A delete of an object others depend on (named {@code dependents}) goes on only with {@code ?cascade=true}. */
    static void refuseDependents(ServerRequest request, String deleted, List<String> dependents) {
        boolean cascade = "true".equalsIgnoreCase(request.query().first("cascade").orElse("false"));
        if (!dependents.isEmpty() && !cascade) {
            throw new AdminError(Status.CONFLICT_409, "dependents-exist",
                    deleted + " is used by " + String.join("; ", dependents) + "; delete with ?cascade=true to remove them too",
                    Map.of("dependents", dependents));
        }
    }

    static List<String> names(List<MetadataObject> objects) {
        return objects.stream().map(MetadataObject::describe).toList();
    }
}
