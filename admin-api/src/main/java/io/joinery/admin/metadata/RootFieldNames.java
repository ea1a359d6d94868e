package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Custom names for a table's root fields, Hasura's keys; null keeps the default. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RootFieldNames(
        @JsonProperty("select") String select,
        @JsonProperty("select_by_pk") String selectByPk,
        @JsonProperty("select_aggregate") String selectAggregate,
        @JsonProperty("insert") String insert,
        @JsonProperty("insert_one") String insertOne,
        @JsonProperty("update") String update,
        @JsonProperty("update_by_pk") String updateByPk,
        @JsonProperty("delete") String delete,
        @JsonProperty("delete_by_pk") String deleteByPk,
        @JsonProperty("update_many") String updateMany) {

    public static final RootFieldNames NONE = new RootFieldNames(null, null, null);

    @com.fasterxml.jackson.annotation.JsonCreator
    public RootFieldNames {
    }

    /** Custom names for the query root fields only. */
    public RootFieldNames(String select, String selectByPk, String selectAggregate) {
        this(select, selectByPk, selectAggregate, null, null, null, null, null, null, null);
    }

    /** Leaves {@link #NONE} out of a written table, rather than writing {@code root_fields: {}} (a Jackson value filter). */
    static final class NoneFilter {
        @Override
        public boolean equals(Object value) {
            return NONE.equals(value);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
