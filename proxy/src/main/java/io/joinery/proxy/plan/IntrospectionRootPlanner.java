package io.joinery.proxy.plan;

import graphql.language.Field;
import io.joinery.proxy.schema.GraphqlSchemaBuilder;

import java.util.List;
import java.util.Optional;

/** {@code __typename} at the root, and {@code __schema} / {@code __type}, which graphql-java answers from the role's schema. */
final class IntrospectionRootPlanner implements RootPlanner {

    @Override
    public Optional<RootField> plan(String alias, List<Field> fields) {
        String name = fields.getFirst().getName();
        if (name.equals("__typename")) {
            return Optional.of(new RootField.Typename(alias, GraphqlSchemaBuilder.QUERY_ROOT));
        }
        if (name.equals("__schema") || name.equals("__type")) {
            return Optional.of(new RootField.Introspection(alias));
        }
        return Optional.empty();
    }
}
