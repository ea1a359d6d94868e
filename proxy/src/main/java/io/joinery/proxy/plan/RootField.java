package io.joinery.proxy.plan;

import graphql.language.Field;
import io.joinery.proxy.schema.ComputedFieldModel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One root field of an operation, in the client's order. */
public sealed interface RootField {

    String alias();

    /** {@code t(...)}: the rows of a table. */
    record SelectMany(String alias, Select select, List<RowField> fields) implements RootField {
        public SelectMany {
            fields = List.copyOf(fields);
        }
    }

    /**
     * A tracked function's root field: the rows its SQL function returns for {@code arguments} (by
     * argument name), selected like the table's rows ({@code FROM "schema"."fn"(…) AS t0}).
     */
    record SelectFunction(String alias, ComputedFieldModel function,
                          Map<String, PlanValue> arguments, Select select, List<RowField> fields) implements RootField {
        public SelectFunction {
            arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
            fields = List.copyOf(fields);
        }

        /** The same rows as a computed field without a parent row, which is how they compile. */
        public RowField.ComputedRows rows() {
            return new RowField.ComputedRows(alias, function, arguments, select, fields);
        }
    }

    /** {@code <function>_aggregate(...)}: the aggregate of a tracked function's rows. */
    record SelectFunctionAggregate(String alias, ComputedFieldModel function,
                                   Map<String, PlanValue> arguments, Select select, List<AggregatePart> parts) implements RootField {
        public SelectFunctionAggregate {
            arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
            parts = List.copyOf(parts);
        }

        /** The rows it aggregates, as a computed field without a parent row. */
        public RowField.ComputedRows rows() {
            return new RowField.ComputedRows(alias, function, arguments, select, List.of());
        }
    }

    /** {@code t_by_pk(...)}: one row or null. */
    record SelectByPk(String alias, Select select, List<RowField> fields) implements RootField {
        public SelectByPk {
            fields = List.copyOf(fields);
        }
    }

    /** {@code t_aggregate(...)}. */
    record SelectAggregate(String alias, Select select, List<AggregatePart> parts) implements RootField {
        public SelectAggregate {
            parts = List.copyOf(parts);
        }
    }

    /**
     * A table mutation ({@code insert_t}, {@code update_t_by_pk}, …): ONE statement of its own, run in
     * the request's one transaction in the client's order (Note [Mutations] in {@code compile.MutationCompiler}).
     */
    record Mutation(String alias, Write write, MutationOutput output) implements RootField {
    }

    /** {@code __typename} at the root. */
    record Typename(String alias, String typeName) implements RootField {
    }

    /**
     * A root field of a remote schema; all of one remote's root fields in an operation go to it in
     * one request, the client's AST (alias, arguments, directives) unchanged. When {@code namespaced},
     * {@code field} is the remote's namespace field and its sub-fields are the remote's root fields.
     * Tables and remote schemas joined into its answer are {@code tableJoins} and {@code remoteJoins}.
     */
    record Remote(String alias, String remote, Field field, List<RemoteTableJoin> tableJoins,
                  List<RemoteSchemaJoin> remoteJoins, boolean namespaced) implements RootField {
        public Remote {
            tableJoins = List.copyOf(tableJoins);
            remoteJoins = List.copyOf(remoteJoins);
        }

        public Remote(String alias, String remote, Field field, List<RemoteTableJoin> tableJoins, boolean namespaced) {
            this(alias, remote, field, tableJoins, List.of(), namespaced);
        }
    }

    /**
     * An action's root field: its handler is called with the client's arguments ({@code field}),
     * the answer shaped to {@code selection}; the tables joined into the answer are {@code tableJoins}
     * (one keyed statement each, after the handler has answered).
     */
    record Action(String alias, io.joinery.proxy.schema.ActionModel action, Field field, List<ActionSelection> selection,
                  List<RemoteTableJoin> tableJoins, Call call) implements RootField {
        public Action {
            selection = List.copyOf(selection);
            tableJoins = List.copyOf(tableJoins);
        }

        public Action(String alias, io.joinery.proxy.schema.ActionModel action, Field field, List<ActionSelection> selection,
                      List<RemoteTableJoin> tableJoins) {
            this(alias, action, field, selection, tableJoins, Call.ANSWER);
        }

        /**
         * What the field does: {@code ANSWER} calls the handler and answers what it answered; an
         * asynchronous action's mutation field {@code ENQUEUE}s the call and answers its id; its query
         * field reads the call's {@code RESULT} ({@code selection}: of Hasura's object {@code {id,
         * created_at, errors, output}}, whose {@code output} is the handler's answer).
         */
        public enum Call { ANSWER, ENQUEUE, RESULT }
    }

    /** {@code __schema} / {@code __type}: answered by graphql-java from the role's schema. */
    record Introspection(String alias) implements RootField {
    }
}
