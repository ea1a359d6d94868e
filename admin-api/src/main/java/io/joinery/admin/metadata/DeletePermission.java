package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import static io.joinery.admin.metadata.TablePermission.booleanExpression;

/**
 * Delete permission of a role on a table, as in Hasura: the rows the role may delete
 * ({@code filter}, a boolean expression as for selects; omitted: every row). With a select
 * permission, it gives the role {@code delete_t} and {@code delete_t_by_pk}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeletePermission(@JsonProperty("filter") JsonNode filter) implements TablePermission {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public DeletePermission {
        filter = booleanExpression("filter", filter);
    }
}
