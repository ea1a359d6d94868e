package io.joinery.admin.catalog;

import io.joinery.admin.metadata.QualifiedName;

import java.util.LinkedHashMap;
import java.util.Map;

/** A foreign key: {@code columns} maps this table's columns to the target's, in key order. */
public record ForeignKey(String constraint, QualifiedName target, Map<String, String> columns) {

    public ForeignKey {
        columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }
}
