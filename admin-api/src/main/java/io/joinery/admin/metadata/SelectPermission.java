package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Select permission of a role on a table, as in Hasura: the visible {@code columns} ({@code ["*"]}
 * for all), a row {@code filter} (a boolean expression; values may be session variables such as
 * {@code x-joinery-user-id}), an optional row {@code limit}, whether aggregates are allowed, and the
 * visible {@code computed_fields} of the table (Hasura's key; none when omitted).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SelectPermission(
        @JsonProperty("columns") List<String> columns,
        @JsonProperty("filter") JsonNode filter,
        @JsonProperty("limit") Integer limit,
        @JsonProperty("allow_aggregations") boolean allowAggregations,
        @JsonProperty("computed_fields") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> computedFields) implements TablePermission {

    @com.fasterxml.jackson.annotation.JsonCreator
    public SelectPermission {
        columns = columns == null ? List.of() : List.copyOf(columns);
        computedFields = computedFields == null ? List.of() : List.copyOf(computedFields);
        if (limit != null && limit < 0) {
            throw new MetadataException("a permission limit cannot be negative");
        }
    }

    public SelectPermission(List<String> columns, JsonNode filter, Integer limit, boolean allowAggregations) {
        this(columns, filter, limit, allowAggregations, List.of());
    }

    public boolean allowsColumn(String column) {
        return columns.contains("*") || columns.contains(column);
    }
}
