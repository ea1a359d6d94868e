package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A relationship to another table of the same source: {@code {object: author, on: {author_id: id}}}
 * or {@code {array: article, on: {id: author_id}}}. {@code on} maps this table's columns to the
 * target's columns. {@code required: true} on an object relationship along this table's foreign key
 * makes its field non-null when the database guarantees the row (Note [Required object relationships]
 * in the proxy's {@code SchemaModelBuilder}); Hasura's {@code foreign_key_constraint_on} imports as such.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Relationship(
        @JsonProperty("object") String object,
        @JsonProperty("array") String array,
        @JsonProperty("on") Map<String, String> on,
        @JsonProperty("source") String source,
        @JsonProperty("required") Boolean required) {

    @com.fasterxml.jackson.annotation.JsonCreator
    public Relationship {
        if ((object == null) == (array == null)) {
            throw new MetadataException("a relationship names exactly one of 'object' or 'array'");
        }
        if (on == null || on.isEmpty()) {
            throw new MetadataException("a relationship needs 'on': {this_column: target_column}");
        }
        on = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(on));
    }

    public Relationship(String object, String array, Map<String, String> on) {
        this(object, array, on, null, null);
    }

    public Relationship(String object, String array, Map<String, String> on, String source) {
        this(object, array, on, source, null);
    }

    /** Whether its field is to be non-null where the database guarantees the row. */
    @JsonIgnore
    public boolean isRequired() {
        return Boolean.TRUE.equals(required);
    }

    public static Relationship object(String target, Map<String, String> on) {
        return new Relationship(target, null, on);
    }

    public static Relationship array(String target, Map<String, String> on) {
        return new Relationship(null, target, on);
    }

    @JsonIgnore
    public boolean isArray() {
        return array != null;
    }

    @JsonIgnore
    public QualifiedName target() {
        return QualifiedName.parse(isArray() ? array : object);
    }
}
