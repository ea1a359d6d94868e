package io.joinery.proxy.plan;

import io.joinery.proxy.schema.ColumnModel;
import io.joinery.proxy.schema.ComputedFieldModel;
import io.joinery.proxy.schema.RelationshipModel;
import io.joinery.proxy.schema.TableModel;

import java.util.List;

/**
 * One ordering term: a column or a scalar computed field reached through zero or more object relationships, or an aggregate
 * of an array relationship at the end of that path. {@code visible}: the rows (of the table the value is read from) where
 * the role sees the value, null elsewhere ({@link BoolExp#TRUE}: all; Note [Redacted cells] in {@code schema.InheritedRoles}).
 */
public record OrderBy(List<Hop> path, OrderTarget target, String direction, BoolExp visible) {

    public OrderBy {
        path = List.copyOf(path);
    }

    public OrderBy(List<Hop> path, OrderTarget target, String direction) {
        this(path, target, direction, BoolExp.TRUE);
    }

    /** An object relationship step, the table it leads to, and the role's filter on that table. */
    public record Hop(RelationshipModel relationship, TableModel target, BoolExp filter) {
    }

    public sealed interface OrderTarget {
    }

    public record ByColumn(ColumnModel column) implements OrderTarget {
    }

    /** A scalar computed field without {@code args}: its function called with the row. */
    public record ByComputed(ComputedFieldModel field) implements OrderTarget {
    }

    /** {@code count} (column null) or {@code <op>(column)} over the rows a computed field returns ({@code get_articles_aggregate}). */
    public record ByComputedAggregate(ComputedFieldModel field, TableModel target, BoolExp filter, String op,
                                      ColumnModel column) implements OrderTarget {
    }

    /** {@code count} (column null) or {@code <op>(column)} over an array relationship's rows. */
    public record ByAggregate(RelationshipModel relationship, TableModel target, BoolExp filter, String op,
                              ColumnModel column) implements OrderTarget {
    }
}
