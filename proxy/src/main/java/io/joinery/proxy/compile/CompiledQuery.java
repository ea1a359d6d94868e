package io.joinery.proxy.compile;

import io.joinery.proxy.plan.QueryPlan;
import io.joinery.proxy.sql.SqlQuery;

import java.util.List;

/**
 * A plan and its SQL: ONE statement per source that the operation's database root fields use
 * (none when it has none). Result column {@code i} of a statement holds the JSON of its root field
 * {@code roots.get(i)}. {@code remoteJoins} says whether that JSON carries remote joins to perform
 * (else it is spliced into the response as it is). {@code tableJoins} holds the statement of each
 * table joined into a remote field's answer.
 */
public record CompiledQuery(QueryPlan plan, List<SourceStatement> statements, boolean remoteJoins,
                            java.util.Map<io.joinery.proxy.plan.RemoteTableJoin, SqlQuery> tableJoins) {

    public CompiledQuery {
        statements = List.copyOf(statements);
        tableJoins = java.util.Collections.unmodifiableMap(new java.util.IdentityHashMap<>(tableJoins));
    }

    public record SourceStatement(String source, SqlQuery sql, List<String> roots) {
        public SourceStatement {
            roots = List.copyOf(roots);
        }
    }
}
