package io.joinery.proxy.compile;

import io.joinery.proxy.plan.QueryPlan;
import io.joinery.proxy.plan.RemoteTableJoin;
import io.joinery.proxy.response.FlatRows;
import io.joinery.proxy.response.ResultShape;
import io.joinery.proxy.sql.SqlQuery;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan and its SQL: ONE statement per source that the operation's database root fields use
 * (none when it has none). Result column {@code i} of a statement holds the JSON of its root field
 * {@code roots.get(i)}, of the shape {@code shapes.get(i)}. {@code remoteJoins} says whether that
 * JSON carries remote joins to perform. {@code tableJoins} holds the statement of each table joined
 * into a remote field's answer.
 */
public record CompiledQuery(QueryPlan plan, List<SourceStatement> statements, boolean remoteJoins,
                            Map<RemoteTableJoin, KeyedStatement> tableJoins) {

    public CompiledQuery {
        statements = List.copyOf(statements);
        tableJoins = Collections.unmodifiableMap(new IdentityHashMap<>(tableJoins));
    }

    /**
     * {@code flat}: set when the statement returns its one root field's rows flat, many rows of the
     * shape it describes (Note [Flat rows] in {@code SqlCompiler}); null when it returns one row.
     * {@code refusals}: the errors of its own a mutation's statement may raise (Note [Mutations] in
     * {@code MutationCompiler}); none for a read.
     */
    public record SourceStatement(String source, SqlQuery sql, List<String> roots, List<ResultShape> shapes, List<Refusal> refusals,
                                  FlatRows flat) {
        public SourceStatement {
            roots = List.copyOf(roots);
            shapes = List.copyOf(shapes);
            refusals = List.copyOf(refusals);
        }

        public SourceStatement(String source, SqlQuery sql, List<String> roots, List<ResultShape> shapes, List<Refusal> refusals) {
            this(source, sql, roots, shapes, refusals, null);
        }

        public SourceStatement(String source, SqlQuery sql, List<String> roots, List<ResultShape> shapes) {
            this(source, sql, roots, shapes, List.of());
        }

        /** The refusal the statement raised, if its database error is one of {@link Refusal}'s; else null. */
        public Refusal refusal(String databaseMessage) {
            int at = databaseMessage == null ? -1 : databaseMessage.indexOf(Refusal.MARKER);
            if (at < 0) {
                return null;
            }
            int from = at + Refusal.MARKER.length();
            int to = databaseMessage.indexOf(':', from);
            try {
                int index = Integer.parseInt(databaseMessage.substring(from, to));
                return index < refusals.size() ? refusals.get(index) : null;
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    /**
     * A condition a mutation's statement tests on itself and fails with an error of its own (Note [Mutations] and
     * Note [Object relationships that write no row] in {@code MutationCompiler}): Hasura's {@code code} and
     * {@code message} at {@code path}.
     */
    public record Refusal(io.joinery.proxy.error.ErrorCode code, String message, String path) {
        /** Starts the text Postgres' error quotes, followed by the refusal's index and a colon. */
        public static final String MARKER = "joinery:refused:";
    }

    /** A keyed join's statement: one column, the {@code [index, value]} pair of each key, of the shape {@code shape}. */
    public record KeyedStatement(SqlQuery sql, ResultShape shape) {
    }
}
