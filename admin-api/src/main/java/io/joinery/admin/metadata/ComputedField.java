package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A computed field of a table, as Hasura's: a STABLE or IMMUTABLE SQL {@code function}
 * ({@code name} or {@code schema.name}) that takes the table's row and returns a scalar or
 * {@code SETOF} a tracked table. The row goes to its first argument, or to {@code table_argument};
 * {@code session_argument} names a {@code json}/{@code jsonb} argument that gets the request's session
 * variables; the function's other arguments become the field's {@code args}. {@code comment} is the
 * field's GraphQL description.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ComputedField(
        @JsonProperty("function") String function,
        @JsonProperty("table_argument") String tableArgument,
        @JsonProperty("session_argument") String sessionArgument,
        @JsonProperty("comment") String comment) {

    @JsonCreator
    public ComputedField {
        if (function == null || function.isBlank()) {
            throw new MetadataException("a computed field names its 'function'");
        }
        QualifiedName.parse(function);
    }

    /** A computed field of {@code function} with the row as its first argument. */
    public static ComputedField of(String function) {
        return new ComputedField(function, null, null, null);
    }

    @JsonIgnore
    public QualifiedName functionName() {
        return QualifiedName.parse(function);
    }
}
