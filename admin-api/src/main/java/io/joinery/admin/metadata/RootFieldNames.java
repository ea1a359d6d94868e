package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Custom names for a table's root fields; null keeps the default. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RootFieldNames(
        @JsonProperty("select") String select,
        @JsonProperty("select_by_pk") String selectByPk,
        @JsonProperty("select_aggregate") String selectAggregate) {

    public static final RootFieldNames NONE = new RootFieldNames(null, null, null);
}
