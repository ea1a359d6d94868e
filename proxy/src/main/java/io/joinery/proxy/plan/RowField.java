package io.joinery.proxy.plan;

import io.joinery.proxy.schema.ColumnModel;
import io.joinery.proxy.schema.ComputedFieldModel;
import io.joinery.proxy.schema.RelationshipModel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One selected field of a table row, in the client's order, under the client's alias. */
public sealed interface RowField {

    String alias();

    /** A column; for a json/jsonb column, {@code path} (else null) selects a value inside it, bound as the text[] of its steps ({@link JsonPath}). */
    record Column(String alias, ColumnModel column, PlanValue path) implements RowField {
        public Column(String alias, ColumnModel column) {
            this(alias, column, null);
        }
    }

    record Typename(String alias, String typeName) implements RowField {
    }

    /** An object relationship: one related row or null. */
    record ObjectRelation(String alias, RelationshipModel relationship, Select select, List<RowField> fields)
            implements RowField {
        public ObjectRelation {
            fields = List.copyOf(fields);
        }
    }

    /** An array relationship: the related rows, with their own filter, order and limit per parent row. */
    record ArrayRelation(String alias, RelationshipModel relationship, Select select, List<RowField> fields)
            implements RowField {
        public ArrayRelation {
            fields = List.copyOf(fields);
        }
    }

    /**
     * A remote relationship: its value comes from a remote schema, joined by the row's key columns
     * (or, inside a remote answer, by the parent object's fields; see {@link RemoteSchemaJoin});
     * tables joined into that value ({@code author { profile { author {…} } } }) are {@code tableJoins},
     * remote schemas joined into it ({@code author { profile { account {…} } } }) {@code remoteJoins}.
     */
    record RemoteJoin(String alias, JoinSpec join, List<RemoteTableJoin> tableJoins,
                      List<RemoteSchemaJoin> remoteJoins) implements RowField {
        public RemoteJoin {
            tableJoins = List.copyOf(tableJoins);
            remoteJoins = List.copyOf(remoteJoins);
        }

        public RemoteJoin(String alias, JoinSpec join, List<RemoteTableJoin> tableJoins) {
            this(alias, join, tableJoins, List.of());
        }
    }

    /** A relationship to a table of another source, joined after the row's own SQL by ONE statement per level. */
    record SourceJoin(String alias, RemoteTableJoin join) implements RowField {
    }

    /** {@code <rel>_aggregate}: aggregates and nodes over an array relationship's rows. */
    record ArrayAggregate(String alias, RelationshipModel relationship, Select select, List<AggregatePart> parts)
            implements RowField {
        public ArrayAggregate {
            parts = List.copyOf(parts);
        }
    }

    /** A computed field returning a scalar: its function called with the row and {@code arguments} (by argument name). */
    record Computed(String alias, ComputedFieldModel field, Map<String, PlanValue> arguments) implements RowField {
        public Computed {
            arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
        }
    }

    /** A computed field returning a table's rows: selected from its function like an array relationship. */
    record ComputedRows(String alias, ComputedFieldModel field, Map<String, PlanValue> arguments, Select select,
                        List<RowField> fields) implements RowField {
        public ComputedRows {
            arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
            fields = List.copyOf(fields);
        }
    }
}
