package io.joinery.proxy.plan;

import io.joinery.policies.boolexp.BoolExpFields;
import io.joinery.policies.boolexp.TableName;
import io.joinery.proxy.schema.ColumnModel;
import io.joinery.proxy.schema.ComputedFieldModel;
import io.joinery.proxy.schema.RelationshipModel;
import io.joinery.proxy.schema.SchemaModel;
import io.joinery.proxy.schema.TableModel;

import java.util.Optional;

/**
 * The names of a table in a permission's filter, as the engine serves it: a column by its GraphQL or its
 * SQL name, a computed field that may be in a filter, a relationship (declared or inferred); {@code _exists}
 * names a tracked table.
 */
record TableFields(SchemaModel model, TableModel table) implements BoolExpFields {

    @Override
    public Kind kind(String name) {
        if (column(name).isPresent()) {
            return Kind.COLUMN;
        }
        ComputedFieldModel computed = computed(name);
        if (computed != null) {
            return computed.returnsRows() ? Kind.COMPUTED_ROWS : Kind.COMPUTED_SCALAR;
        }
        return table.relationships().containsKey(name) ? Kind.RELATIONSHIP : Kind.UNKNOWN;
    }

    Optional<ColumnModel> column(String name) {
        return table.columnByGraphqlName(name).or(() -> table.column(name));
    }

    /** The computed field {@code name}, if it may be in a filter; null otherwise. */
    ComputedFieldModel computed(String name) {
        ComputedFieldModel computed = table.computedFields().get(name);
        return computed != null && computed.filterable() ? computed : null;
    }

    RelationshipModel relationship(String name) {
        return table.relationships().get(name);
    }

    @Override
    public Optional<TableFields> target(String name) {
        ComputedFieldModel computed = computed(name);
        String target = computed != null ? computed.target() : relationship(name).target();
        return Optional.ofNullable(target == null ? null : model.table(target)).map(t -> new TableFields(model, t));
    }

    @Override
    public Optional<TableFields> table(TableName name) {
        return model.allTables().stream()
                .filter(t -> t.name().schema().equals(name.schema()) && t.name().name().equals(name.name()))
                .findFirst()
                .map(t -> new TableFields(model, t));
    }
}
