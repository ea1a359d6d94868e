package io.joinery.admin.check;

import io.joinery.admin.check.MetadataObject.TableRef;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.RemoteRelationship;
import io.joinery.admin.metadata.RemoteSchemaConfig;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A remote schema, or an object joining a table or a remote schema to a remote schema, as a delete
 * names it and its dependents; {@link #describe()} reads like the engine's problems ({@code table
 * author, remote relationship profile}). Which of them depend on what is found from the document
 * alone: the remote relationships of tables use a remote schema, and a remote schema's type
 * relationships ({@code Profile.author}, {@code Profile.account}) use the table or the remote
 * schema they target.
 *
 * <p>These are the remote counterparts of {@link MetadataObject} and {@link Dependents}: the admin
 * API's deletes name them, and {@link RemoteReferenceCheck} the relationships to undeclared remotes.
 */
public sealed interface RemoteRef {

    /** The name people read, e.g. {@code remote schema profiles}. */
    String describe();

    /** A remote schema. */
    record RemoteSchemaRef(String name) implements RemoteRef {
        @Override
        public String describe() {
            return "remote schema " + name;
        }
    }

    /** A remote relationship declared on a tracked table. */
    record RemoteRelationshipRef(TableRef table, String name) implements RemoteRef {
        @Override
        public String describe() {
            return table.describe() + ", remote relationship " + name;
        }
    }

    /** A field a remote schema's type gets from a table or a remote schema ({@code relationships: {Profile: {author: …}}}). */
    record RemoteTypeRelationshipRef(String remoteSchema, String type, String name) implements RemoteRef {
        @Override
        public String describe() {
            return "remote schema " + remoteSchema + ", relationship " + type + "." + name;
        }
    }

    /** Every remote relationship of the document's tables with its definition, in document order. */
    static Map<RemoteRelationshipRef, RemoteRelationship> remoteRelationships(Metadata metadata) {
        Map<RemoteRelationshipRef, RemoteRelationship> all = new LinkedHashMap<>();
        for (Source source : metadata.sources()) {
            for (TableConfig table : source.tables()) {
                TableRef ref = new TableRef(source.name(), table.qualifiedName());
                table.remoteRelationships().forEach((name, definition) -> all.put(new RemoteRelationshipRef(ref, name), definition));
            }
        }
        return all;
    }

    /** The remote relationships, of every tracked table, that join to remote schema {@code name}, in document order. */
    static List<RemoteRelationshipRef> usersOf(Metadata metadata, String name) {
        return remoteRelationships(metadata).entrySet().stream()
                .filter(entry -> name.equals(entry.getValue().remoteSchema()))
                .map(Map.Entry::getKey)
                .toList();
    }

    /**
     * Every type relationship of the document's remote schemas that joins to a remote schema, with
     * its definition, in document order.
     */
    static Map<RemoteTypeRelationshipRef, RemoteRelationship> remoteTypeRelationships(Metadata metadata) {
        Map<RemoteTypeRelationshipRef, RemoteRelationship> all = new LinkedHashMap<>();
        for (RemoteSchemaConfig remote : metadata.remoteSchemas()) {
            remote.relationships().forEach((type, fields) -> fields.forEach((name, relationship) -> {
                if (relationship.toRemoteSchema()) {
                    all.put(new RemoteTypeRelationshipRef(remote.name(), type, name), relationship.remote());
                }
            }));
        }
        return all;
    }

    /**
     * The type relationships of the other remote schemas that join to remote schema {@code name},
     * in document order; its own go with it.
     */
    static List<RemoteTypeRelationshipRef> typeRelationshipsTo(Metadata metadata, String name) {
        return remoteTypeRelationships(metadata).entrySet().stream()
                .filter(entry -> name.equals(entry.getValue().remoteSchema()) && !name.equals(entry.getKey().remoteSchema()))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** The type relationships of remote schemas that target any table of {@code source}, in document order. */
    static List<RemoteTypeRelationshipRef> targetingSource(Metadata metadata, String source) {
        return targeting(metadata, source, null);
    }

    /** The type relationships of remote schemas that target {@code table} (null: any) of {@code source}, in document order. */
    static List<RemoteTypeRelationshipRef> targeting(Metadata metadata, String source, QualifiedName table) {
        List<RemoteTypeRelationshipRef> found = new ArrayList<>();
        for (RemoteSchemaConfig remote : metadata.remoteSchemas()) {
            remote.relationships().forEach((type, fields) -> fields.forEach((name, entry) -> {
                Relationship relationship = entry.table();
                if (relationship == null) {
                    return;
                }
                String targetSource = relationship.source() == null ? Source.DEFAULT : relationship.source();
                if (targetSource.equals(source) && (table == null || relationship.target().equals(table))) {
                    found.add(new RemoteTypeRelationshipRef(remote.name(), type, name));
                }
            }));
        }
        return found;
    }
}
