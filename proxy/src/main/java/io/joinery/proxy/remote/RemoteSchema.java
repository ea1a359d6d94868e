package io.joinery.proxy.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.introspection.IntrospectionQuery;
import graphql.introspection.IntrospectionResultToSchema;
import graphql.language.Document;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.MockedWiringFactory;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.joinery.admin.metadata.RemoteSchemaConfig;

import java.util.Map;

/**
 * A remote GraphQL API as the engine uses it: its config, its client, and its schema, built from
 * the answer to the standard introspection query (scalars pass through as JSON).
 */
public record RemoteSchema(RemoteSchemaConfig config, RemoteClient client, GraphQLSchema schema) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String name() {
        return config.name();
    }

    public static RemoteSchema introspect(RemoteSchemaConfig config, RemoteClient client) {
        JsonNode response = client.post(IntrospectionQuery.INTROSPECTION_QUERY, Map.of(), Map.of());
        JsonNode data = response.path("data");
        if (!data.path("__schema").isObject()) {
            throw new RemoteFailure("remote schema '" + config.name() + "' did not answer introspection: "
                    + RemoteClient.firstError(response));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> introspection = JSON.convertValue(data, Map.class);
        Document document = new IntrospectionResultToSchema().createSchemaDefinition(introspection);
        TypeDefinitionRegistry registry = new graphql.schema.idl.SchemaParser().buildRegistry(document);
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring().wiringFactory(new MockedWiringFactory()).build();
        return new RemoteSchema(config, client, new SchemaGenerator().makeExecutableSchema(registry, wiring));
    }
}
