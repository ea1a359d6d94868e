package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one role may use of a remote schema (Hasura's {@code remote_schema_permissions}): a subset
 * of the remote's schema as SDL. An argument marked {@code @preset(value: ...)} is taken out of the
 * role's schema and always sent with that value: a session variable's when the value is a string
 * naming one ({@code "x-joinery-user-id"}), else the literal ({@code @preset(value: "x-joinery-x",
 * static: true)} sends such a string as it is). A role without a permission sees nothing of the
 * remote.
 *
 * <pre>
 * remote_schemas:
 *   - name: profiles
 *     permissions:
 *       user:
 *         schema: |
 *           type Query { profile(authorId: Int! @preset(value: "x-joinery-user-id")): Profile }
 *           type Profile { authorId: Int! bio: String }
 * </pre>
 *
 * That the SDL is a subset of the remote's schema is checked by the engine (Note [Remote schema
 * permissions] in {@code proxy.remote.RemotePermission}).
 */
public record RemoteSchemaPermission(@JsonProperty("schema") String schema) {

    @JsonCreator
    public RemoteSchemaPermission {
        if (schema == null || schema.isBlank()) {
            throw new MetadataException("a remote schema permission needs a schema (SDL)");
        }
    }
}
