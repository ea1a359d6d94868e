package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import static io.joinery.admin.metadata.TablePermission.booleanExpression;

/**
 * Delete permission of a role on a table, as in Hasura: the rows the role may delete
 * ({@code filter}, a boolean expression as for selects; omitted: every row). With a select
 * permission, it gives the role {@code delete_t} and {@code delete_t_by_pk}; {@code backend_only} as
 * for inserts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeletePermission(@JsonProperty("filter") JsonNode filter,
                               @JsonProperty("backend_only") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean backendOnly)
        implements TablePermission {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public DeletePermission {
        filter = booleanExpression("filter", filter);
    }

    /** A permission every client with the role may use (not {@code backend_only}). */
    public DeletePermission(JsonNode filter) {
        this(filter, false);
    }
}
