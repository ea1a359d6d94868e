package io.joinery.proxy.schema;

/**
 * A field added to a remote schema's object type, joined to a table: {@code relationship.mapping()}
 * pairs the remote type's fields with the target table's columns.
 */
public record RemoteTypeRelationship(String remote, String typeName, RelationshipModel relationship) {
}
