package io.joinery.proxy;

import graphql.language.ScalarTypeDefinition;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.check.ConsistencyCheck;
import io.joinery.admin.check.GraphqlScalars;
import io.joinery.admin.check.Problem;
import io.joinery.admin.metadata.Action;
import io.joinery.admin.metadata.CustomType;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataException;
import io.joinery.admin.metadata.RemoteSchemaConfig;
import io.joinery.proxy.remote.RemoteFailure;
import io.joinery.proxy.remote.RemoteSchema;
import io.joinery.proxy.schema.GraphqlSchemaBuilder;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.schema.SchemaModel;
import io.joinery.proxy.schema.SchemaModelBuilder;
import io.joinery.proxy.schema.SchemaProblem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The engine's consistency checks beside the admin API's own: what only schema generation knows —
 * GraphQL names that are invalid or collide (custom types' and actions' with generated ones
 * included), remote schemas that do not answer introspection, and remote relationships — of tables
 * and of remote schemas' types — whose field path, arguments, columns or parent fields do not resolve.
 */
public final class EngineChecks {

    private EngineChecks() {
    }

    /** @param introspect answers a remote schema's introspection, or throws {@link RemoteFailure} */
    public static List<ConsistencyCheck> all(Function<RemoteSchemaConfig, RemoteSchema> introspect) {
        return List.of((metadata, catalogs) -> check(metadata, catalogs, introspect));
    }

    private static List<Problem> check(Metadata metadata, Map<String, DatabaseCatalog> catalogs,
                                       Function<RemoteSchemaConfig, RemoteSchema> introspect) {
        List<Problem> problems = new ArrayList<>();
        Map<String, RemoteSchema> remotes = new LinkedHashMap<>();
        for (RemoteSchemaConfig config : metadata.remoteSchemas()) {
            try {
                remotes.put(config.name(), introspect.apply(config));
            } catch (RuntimeException e) {
                // Problems go to admins only: with the remote's URL and the cause.
                problems.add(new Problem("remote schema " + config.name(), "introspection",
                        e instanceof RemoteFailure failure ? failure.detailed() : e.getMessage()));
            }
        }
        SchemaModel model = SchemaModelBuilder.build(metadata, catalogs, remotes);
        for (SchemaProblem problem : model.problems()) {
            engineProblem(problem).ifPresent(problems::add);
        }
        problems.addAll(collisions(metadata, model));
        return problems;
    }

    /** A problem of schema generation as a consistency problem, unless the admin checks report it (Note [Problem kinds]). */
    private static Optional<Problem> engineProblem(SchemaProblem problem) {
        return switch (problem.kind()) {
            case REPORTED_ELSEWHERE -> Optional.empty();
            case GENERATED_NAME -> Optional.of(new Problem("graphql schema", "generated names", problem.message()));
            case TABLE_REMOTE_RELATIONSHIP -> Optional.of(new Problem("graphql schema", "remote schema", problem.message()));
            case REMOTE_SCHEMA -> Optional.of(new Problem("remote schema", "remote schema", problem.message()));
            case INHERITED_ROLE -> Optional.of(new Problem("inherited role", "permissions", problem.message()));
        };
    }

    /**
     * Custom types and actions beside the generated schema (the admin role's, which has every
     * generated type and root field): a custom type may not take the name of a type the engine
     * generates or merges (tables' types and their input and enum types, remote schemas' types),
     * except that a custom scalar may share a generated scalar's name, being the same scalar; an
     * action may not take the name of a root field of its operation (an asynchronous one: of the query
     * root too, nor the name of a type, which its result type takes). Built-in and reserved names
     * are the admin checks' problems.
     */
    static List<Problem> collisions(Metadata metadata, SchemaModel model) {
        if (metadata.customTypes().isEmpty() && metadata.actions().isEmpty()) {
            return List.of();
        }
        GraphQLSchema schema;
        try {
            schema = GraphqlSchemaBuilder.build(new RoleAccess(RoleAccess.ADMIN, model));
        } catch (RuntimeException e) {
            return List.of(new Problem("graphql schema", "generated names",
                    "actions and custom types cannot be checked against the generated schema: " + e.getMessage()));
        }
        List<Problem> problems = new ArrayList<>();
        for (CustomType type : metadata.customTypes()) {
            String name = type.name().orElse(null);
            if (name == null || name.startsWith("__") || GraphqlScalars.BUILT_IN.contains(name)
                    || !(schema.getType(name) instanceof GraphQLNamedType generated)) {
                continue;
            }
            if (!(generated instanceof GraphQLScalarType && isScalar(type))) {
                problems.add(new Problem("custom type " + name, "type " + name,
                        "the generated GraphQL schema already has a type of this name (for a table or from a remote schema)"));
            }
        }
        for (Action action : metadata.actions()) {
            GraphQLObjectType root = Action.QUERY.equals(action.operation()) ? schema.getQueryType() : schema.getMutationType();
            if (root != null && root.getFieldDefinition(action.name()) != null) {
                problems.add(new Problem("action " + action.name(), "root field " + root.getName() + "." + action.name(),
                        "the generated GraphQL schema already has a " + action.operation() + " root field of this name"));
            }
            if (action.asynchronous()) {
                // Its result is a query root field and an object type, both named after it (as in Hasura).
                GraphQLObjectType query = schema.getQueryType();
                if (query != null && query.getFieldDefinition(action.name()) != null) {
                    problems.add(new Problem("action " + action.name(), "root field " + query.getName() + "." + action.name(),
                            "the generated GraphQL schema already has a query root field of this name, which the asynchronous action's result needs"));
                }
                boolean customType = metadata.customTypes().stream().anyMatch(type -> type.name().filter(action.name()::equals).isPresent());
                if (customType || schema.getType(action.name()) != null) {
                    problems.add(new Problem("action " + action.name(), "type " + action.name(),
                            "the asynchronous action's result type takes the action's name, which another type has"));
                }
            }
        }
        return problems;
    }

    private static boolean isScalar(CustomType type) {
        try {
            return type.typeDefinition() instanceof ScalarTypeDefinition;
        } catch (MetadataException e) {
            return false;
        }
    }
}
