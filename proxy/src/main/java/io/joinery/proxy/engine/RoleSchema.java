package io.joinery.proxy.engine;

import graphql.GraphQL;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import io.joinery.proxy.schema.GraphqlSchemaBuilder;
import io.joinery.proxy.schema.RoleAccess;

import java.util.List;
import java.util.Map;

/**
 * One role's view: its access rules, its GraphQL schema, a graphql-java engine used only for
 * introspection. Its parsed operations are in the metadata version's {@link PlanCache}.
 */
final class RoleSchema {

    final RoleAccess access;
    final GraphQLSchema schema;
    final GraphQL introspection;
    /** The session variables the role's remote schema presets read (Note [Preset session values] in {@link GraphqlEngine}). */
    final java.util.Set<String> presetVariables;
    /** The role's redacted cells, planned once for the role (Note [Redacted cells] in {@code schema.InheritedRoles}). */
    final io.joinery.proxy.plan.CellRedactions cells;

    RoleSchema(RoleAccess access) {
        this.access = access;
        GraphQLSchema generated = GraphqlSchemaBuilder.build(access);
        this.schema = generated.transform(b -> b.codeRegistry(GraphQLCodeRegistry.newCodeRegistry(generated.getCodeRegistry())
                .defaultDataFetcher(env -> placeholder(env.getFieldDefinition().getType())).build()));
        this.introspection = GraphQL.newGraphQL(schema).instrumentation(new IntrospectionOrder()).build();
        java.util.Set<String> read = new java.util.TreeSet<>();
        access.remotes().forEach(remote -> remote.permissions().values().forEach(p -> read.addAll(p.sessionVariables())));
        this.presetVariables = java.util.Set.copyOf(read);
        this.cells = io.joinery.proxy.plan.CellRedactions.of(access);
    }

    /**
     * Database root fields are answered by SQL, not by graphql-java: when an operation mixes them
     * with introspection, graphql-java resolves them to empty placeholders that are discarded.
     */
    private static DataFetcher<Object> placeholder(GraphQLType type) {
        GraphQLType unwrapped = type instanceof GraphQLNonNull nonNull ? nonNull.getWrappedType() : type;
        Object value = unwrapped instanceof GraphQLList ? List.of() : type instanceof GraphQLNonNull ? Map.of("nodes", List.of()) : null;
        return env -> value;
    }
}
