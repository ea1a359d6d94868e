package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A tracked function of a source, as Hasura's: a STABLE or IMMUTABLE SQL {@code function}
 * ({@code name} or {@code schema.name}) returning {@code SETOF} a tracked table, served as a query
 * root field. {@code name} is that root field's name (default: the function's name, prefixed
 * {@code schema_} outside {@code public}); {@code session_argument} names a {@code json}/{@code jsonb}
 * argument that gets the request's session variables; the other arguments become the field's {@code args}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrackedFunction(
        @JsonProperty("function") String function,
        @JsonProperty("name") String name,
        @JsonProperty("session_argument") String sessionArgument) {

    @JsonCreator
    public TrackedFunction {
        if (function == null || function.isBlank()) {
            throw new MetadataException("a tracked function names its 'function'");
        }
        QualifiedName.parse(function);
    }

    @JsonIgnore
    public QualifiedName functionName() {
        return QualifiedName.parse(function);
    }

    /** The query root field: {@code name}, or the function's name ({@code schema_name} outside public). */
    @JsonIgnore
    public String rootField() {
        if (name != null) {
            return name;
        }
        QualifiedName qualified = functionName();
        return "public".equals(qualified.schema()) ? qualified.name() : qualified.schema() + "_" + qualified.name();
    }
}
