package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One document of a {@link QueryCollection}: its name in the collection and the GraphQL text, which must parse. */
public record CollectionQuery(@JsonProperty("name") String name, @JsonProperty("query") String query) {

    @JsonCreator
    public CollectionQuery {
        if (name == null || name.isBlank() || query == null || query.isBlank()) {
            throw new MetadataException("a query of a collection needs a 'name' and a 'query'");
        }
        try {
            graphql.parser.Parser.parse(query);
        } catch (graphql.parser.InvalidSyntaxException e) {
            throw new MetadataException("query '" + name + "' is not a GraphQL document: " + e.getMessage());
        }
    }
}
