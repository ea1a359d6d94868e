package io.joinery.admin.check;

import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.metadata.Metadata;

import java.util.List;
import java.util.Map;

/**
 * One kind of consistency rule. The admin API runs the built-in database checks and every check the
 * engine adds (such as GraphQL name collisions) before a change is committed, and again for
 * {@code GET /admin/v1/inconsistencies}. A check must not throw for an inconsistent document: it
 * returns problems.
 */
@FunctionalInterface
public interface ConsistencyCheck {

    /**
     * The problems of {@code metadata}. {@code catalogs} holds, by source name, the live catalog of
     * each source that could be read; an unreachable source is already reported, so skip its objects.
     */
    List<Problem> check(Metadata metadata, Map<String, DatabaseCatalog> catalogs);
}
