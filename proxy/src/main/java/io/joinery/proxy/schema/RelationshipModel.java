package io.joinery.proxy.schema;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A relationship from one table to another of the same source. {@code mapping} pairs this
 * table's columns with the target's columns (SQL names). A {@code required} object relationship always
 * has its row (Note [Required object relationships]).
 */
public record RelationshipModel(String name, boolean array, String target, Map<String, String> mapping, boolean required) {

    public RelationshipModel {
        mapping = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(mapping));
    }

    /** A relationship that may lack its row. */
    public RelationshipModel(String name, boolean array, String target, Map<String, String> mapping) {
        this(name, array, target, mapping, false);
    }
}
