package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.joinery.admin.metadata.TablePermission.booleanExpression;

/**
 * Update permission of a role on a table, as in Hasura: the {@code columns} the role may change
 * ({@code ["*"]} for all), the rows it may update ({@code filter}, checked before the update), the
 * {@code check} each row must satisfy after it, column presets ({@code set}, as for inserts), and
 * whether only requests with the admin secret that ask for backend-only permissions may use it
 * ({@code backend_only}, as for inserts).
 * With a select permission, it gives the role {@code update_t}, {@code update_t_by_pk} and upserts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpdatePermission(
        @JsonProperty("columns") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> columns,
        @JsonProperty("filter") JsonNode filter,
        @JsonProperty("check") JsonNode check,
        @JsonProperty("set") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, JsonNode> set,
        @JsonProperty("backend_only") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean backendOnly) implements TablePermission {

    @com.fasterxml.jackson.annotation.JsonCreator
    public UpdatePermission {
        filter = booleanExpression("filter", filter);
        check = booleanExpression("check", check);
        columns = columns == null ? List.of() : List.copyOf(columns);
        set = set == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(set));
    }

    /** A permission every client with the role may use (not {@code backend_only}). */
    public UpdatePermission(List<String> columns, JsonNode filter, JsonNode check, Map<String, JsonNode> set) {
        this(columns, filter, check, set, false);
    }
}
