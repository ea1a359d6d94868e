package io.joinery.proxy.compile;

import io.joinery.proxy.plan.QueryPlan;
import io.joinery.proxy.sql.SqlQuery;

import java.util.List;

/**
 * A plan and its SQL: ONE statement per source that the operation's database root fields use
 * (none when it has none). Result column {@code i} of a statement holds the JSON of its root field
 * {@code roots.get(i)}. {@code remoteJoins} says whether that JSON carries remote joins to perform
 * (else it is spliced into the response as it is).
 */
public record CompiledQuery(QueryPlan plan, List<SourceStatement> statements, boolean remoteJoins) {

    public CompiledQuery {
        statements = List.copyOf(statements);
    }

    public record SourceStatement(String source, SqlQuery sql, List<String> roots) {
        public SourceStatement {
            roots = List.copyOf(roots);
        }
    }
}
