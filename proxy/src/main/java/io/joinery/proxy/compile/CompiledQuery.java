package io.joinery.proxy.compile;

import io.joinery.proxy.plan.QueryPlan;
import io.joinery.proxy.plan.RemoteTableJoin;
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

    public record SourceStatement(String source, SqlQuery sql, List<String> roots, List<ResultShape> shapes) {
        public SourceStatement {
            roots = List.copyOf(roots);
            shapes = List.copyOf(shapes);
        }
    }

    /** A keyed join's statement: one column, the {@code [index, value]} pair of each key, of the shape {@code shape}. */
    public record KeyedStatement(SqlQuery sql, ResultShape shape) {
    }
}
