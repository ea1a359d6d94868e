package io.joinery.proxy.schema;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A relationship from one table to another of the same source. {@code mapping} pairs this
 * table's columns with the target's columns (SQL names).
 */
public record RelationshipModel(String name, boolean array, String target, Map<String, String> mapping) {

    public RelationshipModel {
        mapping = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(mapping));
    }
}
