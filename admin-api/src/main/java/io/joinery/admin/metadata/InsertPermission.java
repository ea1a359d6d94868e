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
 * Insert permission of a role on a table, as in Hasura: the {@code check} every new row must
 * satisfy (a boolean expression, as a select filter), the {@code columns} the role may set
 * ({@code ["*"]} for all), column presets ({@code set}: column → literal or session variable such as
 * {@code x-joinery-user-id}, applied whatever the request says) and whether only requests with the
 * admin secret that ask for backend-only permissions ({@code x-joinery-use-backend-only-permissions:
 * true}) may use it ({@code backend_only}). It gives the role {@code insert_t} and {@code insert_t_one}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InsertPermission(
        @JsonProperty("check") JsonNode check,
        @JsonProperty("columns") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> columns,
        @JsonProperty("set") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, JsonNode> set,
        @JsonProperty("backend_only") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean backendOnly) implements TablePermission {

    public InsertPermission {
        check = booleanExpression("check", check);
        columns = columns == null ? List.of() : List.copyOf(columns);
        set = set == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(set));
    }
}
