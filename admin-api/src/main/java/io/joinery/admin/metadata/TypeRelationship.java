package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A field that a remote schema's object type gets ({@code relationships: {Profile: {author: …}}}),
 * written as one of two shapes, told apart by {@code remote_schema}:
 * <pre>
 * relationships:
 *   Profile:
 *     author: { object: author, on: { authorId: id } }        # to a table: a {@link Relationship}, on: type field → column
 *     account:                                                # to a remote schema (the same or another): a {@link RemoteRelationship}
 *       remote_schema: accounts
 *       remote_field: { account: { arguments: { id: $accountId } } }   # $field = the value of a scalar field of Profile
 * </pre>
 * A remote relationship here has the three forms a table's has ({@code remote_field}, {@code batch},
 * {@code federation}); its templates and keys name the parent type's scalar fields instead of columns.
 * Exactly one of {@code table} and {@code remote} is set.
 */
public record TypeRelationship(Relationship table, RemoteRelationship remote) {

    public TypeRelationship {
        if ((table == null) == (remote == null)) {
            throw new MetadataException("a type relationship joins either a table or a remote schema");
        }
    }

    public static TypeRelationship of(Relationship relationship) {
        return new TypeRelationship(relationship, null);
    }

    public static TypeRelationship of(RemoteRelationship relationship) {
        return new TypeRelationship(null, relationship);
    }

    @JsonCreator
    static TypeRelationship parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new MetadataException("a relationship is an object: {object|array: table, on: {…}} or {remote_schema: …, remote_field|batch|federation: …}");
        }
        return node.has("remote_schema") ? of(MetadataCodec.convertPart(node, RemoteRelationship.class))
                : of(MetadataCodec.convertPart(node, Relationship.class));
    }

    @JsonValue
    Object json() {
        return table != null ? table : remote;
    }

    /** Whether it joins to a remote schema rather than to a table. */
    public boolean toRemoteSchema() {
        return remote != null;
    }
}
