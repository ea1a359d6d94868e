package io.joinery.proxy.engine;

import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLNamedSchemaElement;
import graphql.schema.GraphQLObjectType;

import java.util.Comparator;
import java.util.List;

/**
 * Note [Introspection order]: Hasura lists everything introspection lists in name order: the types of
 * {@code __schema}, a type's {@code fields}, {@code inputFields}, {@code enumValues}, a field's {@code args},
 * even {@code __TypeKind}'s values ({@code ENUM, INPUT_OBJECT, …}). Clients and tests compare these lists
 * (schema snapshots, generated code), so Joinery answers in the same order: every list of named schema
 * elements an introspection field returns is sorted by name (code point order, so {@code Z} before {@code a}).
 * The schema itself keeps its construction order; only the introspection answer is sorted.
 */
final class IntrospectionOrder extends SimplePerformantInstrumentation {

    private static final Comparator<Object> BY_NAME = Comparator.comparing(element -> ((GraphQLNamedSchemaElement) element).getName());

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher, InstrumentationFieldFetchParameters parameters,
                                                InstrumentationState state) {
        if (!(parameters.getEnvironment().getParentType() instanceof GraphQLObjectType parent && parent.getName().startsWith("__"))) {
            return fetcher;
        }
        return environment -> sorted(fetcher.get(environment));
    }

    private static Object sorted(Object value) {
        if (value instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(GraphQLNamedSchemaElement.class::isInstance)) {
            return list.stream().sorted(BY_NAME).toList();
        }
        return value;
    }
}
