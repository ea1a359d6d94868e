package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A named list of GraphQL documents (Hasura's query collections), which the {@link AllowlistEntry
 * allowlist} refers to. Each query is a whole document, kept as written; it must parse (graphql-java's
 * parser), and its names are unique in the collection.
 *
 * <pre>
 * query_collections:
 *   - name: app
 *     queries:
 *       - { name: authors, query: "query Authors { author { id name } }" }
 * </pre>
 */
public record QueryCollection(@JsonProperty("name") String name, @JsonProperty("queries") List<CollectionQuery> queries) {

    @JsonCreator
    public QueryCollection {
        if (name == null || name.isBlank()) {
            throw new MetadataException("a query collection needs a 'name'");
        }
        queries = queries == null ? List.of() : List.copyOf(queries);
        Set<String> names = new HashSet<>();
        for (CollectionQuery query : queries) {
            if (!names.add(query.name())) {
                throw new MetadataException("query collection '" + name + "': query names must be unique: " + query.name() + " is there twice");
            }
        }
    }
}
