package io.joinery.proxy.engine;

import io.joinery.proxy.error.JoineryException;
import graphql.language.Document;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import io.joinery.proxy.compile.CompiledQuery;
import io.joinery.proxy.parse.ParseResult;

import java.util.List;
import java.util.Map;

/**
 * A parsed and validated operation of one role's schema, cached by (role, operation name, query)
 * in the {@link PlanCache}. {@code failure} is set when it did not validate (never cached).
 * {@code structural} names the variables whose values shape the plan; the compiled plans are cached
 * by their values and by which variables are null. {@code size} measures its document for its weight.
 * It stays in {@code engine}, not {@code parse}: it holds the compiled plans ({@code compile}) and
 * the cache's weights, which {@code parse}, before them in the pipeline, must not know of.
 */
record ParsedOperation(Document document, OperationDefinition operation, Map<String, FragmentDefinition> fragments,
                       List<String> structural, JoineryException failure, BoundedCache<List<Object>, CompiledQuery> compiled,
                       PlanCache.Weight size, Map<String, java.util.Set<String>> rowVariables) {

    /**
     * A validated operation, with room for its compiled plans (at most 64); {@code rowVariables}: the
     * variables whose rows may be bound as one parameter (Note [Rows bound as one parameter] in {@link BoundRows}).
     */
    static ParsedOperation of(ParseResult parsed, PlanCache.Weight size, Map<String, java.util.Set<String>> rowVariables) {
        return new ParsedOperation(parsed.document(), parsed.operation(), parsed.fragments(), parsed.structural(), null,
                new BoundedCache<>(64), size, rowVariables);
    }

    static ParsedOperation failed(JoineryException failure) {
        return new ParsedOperation(null, null, Map.of(), List.of(), failure, null, PlanCache.Weight.NONE, Map.of());
    }

    /** The heap it is estimated to keep, with its compiled plans (Note [Plan cache weight] in {@link PlanCache}). */
    long weight() {
        return compiled == null ? size.document() : size.document() + compiled.weight(this::planWeight);
    }

    private long planWeight(CompiledQuery plan) {
        long sqlChars = 0;
        for (CompiledQuery.SourceStatement statement : plan.statements()) {
            sqlChars += statement.sql().text().length();
        }
        for (CompiledQuery.KeyedStatement join : plan.tableJoins().values()) {
            sqlChars += join.sql().text().length();
        }
        return size.plan(sqlChars);
    }
}
