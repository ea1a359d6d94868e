package io.joinery.proxy.schema;

/**
 * A field added to a remote schema's object type, joined to a remote schema (the same or another):
 * {@code relationship.keyColumns()} are the parent type's scalar fields its arguments or keys read,
 * {@code relationship.remote()} the target remote, {@code relationship.type()} the field's type in
 * the target's own names.
 */
public record RemoteTypeRemoteRelationship(String remote, String typeName, RemoteRelationshipModel relationship) {
}
