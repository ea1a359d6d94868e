package io.joinery.proxy.engine;

import graphql.language.Document;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import io.joinery.proxy.compile.CompiledQuery;

import java.util.List;
import java.util.Map;

/**
 * A parsed and validated operation of one role's schema, cached by (query text, operation name).
 * {@code failure} is set when it did not validate. {@code structural} names the variables whose
 * values shape the plan; the compiled plans are cached by their values and by which variables are null.
 */
record ParsedOperation(Document document, OperationDefinition operation, Map<String, FragmentDefinition> fragments,
                       List<String> structural, JoineryException failure, BoundedCache<List<Object>, CompiledQuery> compiled) {

    static ParsedOperation failed(JoineryException failure) {
        return new ParsedOperation(null, null, Map.of(), List.of(), failure, null);
    }
}
