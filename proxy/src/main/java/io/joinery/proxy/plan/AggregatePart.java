package io.joinery.proxy.plan;

import io.joinery.proxy.schema.ColumnModel;

import java.util.List;

/** The selection of a {@code t_aggregate} object: {@code aggregate{…}}, {@code nodes{…}}, {@code __typename}. */
public sealed interface AggregatePart {

    String alias();

    record Typename(String alias, String typeName) implements AggregatePart {
    }

    record Nodes(String alias, List<RowField> fields) implements AggregatePart {
        public Nodes {
            fields = List.copyOf(fields);
        }
    }

    record Aggregate(String alias, List<AggregateFunction> functions) implements AggregatePart {
        public Aggregate {
            functions = List.copyOf(functions);
        }
    }

    /** One field of {@code aggregate{…}}. */
    sealed interface AggregateFunction {
        String alias();
    }

    record Count(String alias, List<ColumnModel> columns, boolean distinct) implements AggregateFunction {
        public Count {
            columns = List.copyOf(columns);
        }
    }

    /** {@code sum{a b}}, {@code max{…}}, …: one operation over several columns. */
    record ColumnsOp(String alias, String op, List<OpColumn> columns, String typeName) implements AggregateFunction {
        public ColumnsOp {
            columns = List.copyOf(columns);
        }
    }

    record OpColumn(String alias, ColumnModel column) {
    }

    record AggregateTypename(String alias, String typeName) implements AggregateFunction {
    }
}
