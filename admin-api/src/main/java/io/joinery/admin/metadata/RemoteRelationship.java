package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A field of a table whose value comes from a remote schema, in Hasura's shape:
 *
 * <pre>
 * remote_relationships:
 *   profile:
 *     remote_schema: profiles
 *     remote_field:
 *       profile:                                # the remote field, possibly nested:
 *         arguments: { authorId: $id }          #   $column = the row's column value
 *         field: { details: { arguments: {} } } #   optional deeper path
 * </pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RemoteRelationship(
        @JsonProperty("remote_schema") String remoteSchema,
        @JsonProperty("remote_field") Map<String, RemoteField> remoteField) {

    public RemoteRelationship {
        if (remoteSchema == null || remoteSchema.isBlank()) {
            throw new MetadataException("a remote relationship needs 'remote_schema'");
        }
        if (remoteField == null || remoteField.size() != 1) {
            throw new MetadataException("a remote relationship needs 'remote_field' with exactly one field");
        }
        remoteField = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(remoteField));
    }

    /** One step of the remote field path: its arguments (a JSON template) and the next step, if any. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RemoteField(
            @JsonProperty("arguments") JsonNode arguments,
            @JsonProperty("field") Map<String, RemoteField> field) {

        public RemoteField {
            if (field != null && field.size() != 1) {
                throw new MetadataException("a nested remote 'field' names exactly one field");
            }
            field = field == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(field));
        }
    }
}
