package io.joinery.proxy.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.introspection.IntrospectionQuery;
import graphql.introspection.IntrospectionQueryBuilder;
import graphql.introspection.IntrospectionResultToSchema;
import graphql.language.Document;
import graphql.language.FieldDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.MockedWiringFactory;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.joinery.admin.metadata.RemoteSchemaConfig;

import java.util.Map;

/**
 * A remote GraphQL API as the engine uses it: its config, its client, and its schema, built from
 * the answer to the standard introspection query (scalars pass through as JSON). A remote that is
 * an Apollo Federation subgraph also has its entity types and their keys ({@link Subgraph}); its
 * federation plumbing ({@code _service}, {@code _entities} and their types) is not part of
 * {@code schema}, so clients never see it.
 */
public record RemoteSchema(RemoteSchemaConfig config, RemoteClient client, GraphQLSchema schema, Subgraph subgraph,
                           Map<String, RemotePermission> permissions, boolean everyRole) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE_QUERY = "query JoineryService { _service { sdl } }";

    public RemoteSchema {
        subgraph = subgraph == null ? Subgraph.NONE : subgraph;
        permissions = permissions == null ? Map.of() : Map.copyOf(permissions);
    }

    public RemoteSchema(RemoteSchemaConfig config, RemoteClient client, GraphQLSchema schema, Subgraph subgraph) {
        this(config, client, schema, subgraph, Map.of(), false);
    }

    /** This remote with {@code permissions}: what each role other than admin may use of it (Note [Remote schema permissions] in {@link RemotePermission}). */
    public RemoteSchema withPermissions(Map<String, RemotePermission> permissions) {
        return new RemoteSchema(config, client, schema, subgraph, permissions, false);
    }

    /**
     * This remote as every role uses it when remote schema permissions are off
     * ({@code JOINERY_ENABLE_REMOTE_SCHEMA_PERMISSIONS=false}, Hasura's default): the whole schema,
     * no preset; permissions in the metadata are kept, not applied.
     */
    public RemoteSchema forEveryRole() {
        return new RemoteSchema(config, client, schema, subgraph, Map.of(), true);
    }

    /**
     * The remote as {@code role} sees it (its permission's schema), or empty when the role has no
     * permission; all of it, with no permission, when it is {@linkplain #forEveryRole() for every role}.
     */
    public java.util.Optional<RemoteSchema> forRole(String role) {
        if (everyRole) {
            return java.util.Optional.of(this);
        }
        RemotePermission permission = permissions.get(role);
        return permission == null ? java.util.Optional.empty()
                : java.util.Optional.of(new RemoteSchema(config, client, permission.schema(), subgraph, Map.of(role, permission), false));
    }

    /** A remote that is not a federation subgraph. */
    public RemoteSchema(RemoteSchemaConfig config, RemoteClient client, GraphQLSchema schema) {
        this(config, client, schema, Subgraph.NONE);
    }

    public String name() {
        return config.name();
    }

    /**
     * Note [Introspection of older servers]: the standard introspection query of graphql-java asks for
     * fields newer servers have ({@code __Type.isOneOf}, {@code specifiedByURL}, {@code isRepeatable},
     * deprecated input values); a server on an older graphql-js (Apollo Server 3, graphql-js below
     * 16.9) refuses the whole query. A remote that refuses it is asked again with the query of the
     * GraphQL spec of 2018, which every server answers; nothing Joinery uses is lost.
     */
    private static final String OLDER_INTROSPECTION_QUERY = IntrospectionQueryBuilder.build(IntrospectionQueryBuilder.Options.defaultOptions()
            .isOneOf(false).specifiedByUrl(false).directiveIsRepeatable(false).schemaDescription(false).inputValueDeprecation(false));

    public static RemoteSchema introspect(RemoteSchemaConfig config, RemoteClient client) {
        JsonNode response;
        try {
            response = client.post(IntrospectionQuery.INTROSPECTION_QUERY, Map.of(), Map.of());
        } catch (RemoteFailure.Refused refused) {
            response = null;
        }
        if (response == null || !response.path("data").path("__schema").isObject()) {
            response = client.post(OLDER_INTROSPECTION_QUERY, Map.of(), Map.of());
        }
        JsonNode data = response.path("data");
        if (!data.path("__schema").isObject()) {
            throw new RemoteFailure("remote schema '" + config.name() + "' did not answer introspection: "
                    + RemoteClient.firstError(response));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> introspection = JSON.convertValue(data, Map.class);
        Document document = new IntrospectionResultToSchema().createSchemaDefinition(introspection);
        Subgraph subgraph = Subgraph.NONE;
        if (hasServiceField(document)) {
            subgraph = subgraph(config, client);
            document = Subgraph.withoutPlumbing(document, queryTypeName(document));
        }
        TypeDefinitionRegistry registry = new graphql.schema.idl.SchemaParser().buildRegistry(document);
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring().wiringFactory(new MockedWiringFactory()).build();
        return new RemoteSchema(config, client, new SchemaGenerator().makeExecutableSchema(registry, wiring), subgraph);
    }

    /**
     * Asks {@code _service { sdl }}; a remote that has the field but does not answer it is used as
     * a plain remote schema (its plumbing is hidden all the same).
     */
    private static Subgraph subgraph(RemoteSchemaConfig config, RemoteClient client) {
        JsonNode response = client.post(SERVICE_QUERY, Map.of(), Map.of());
        JsonNode sdl = response.path("data").path("_service").path("sdl");
        if (!sdl.isTextual()) {
            return Subgraph.NONE;
        }
        try {
            return Subgraph.fromSdl(sdl.textValue());
        } catch (RuntimeException e) {
            throw new RemoteFailure("remote schema '" + config.name() + "' answered _service with an SDL that does not parse: "
                    + e.getMessage(), e);
        }
    }

    private static boolean hasServiceField(Document document) {
        String query = queryTypeName(document);
        return document.getDefinitionsOfType(ObjectTypeDefinition.class).stream()
                .filter(type -> type.getName().equals(query))
                .flatMap(type -> type.getFieldDefinitions().stream())
                .map(FieldDefinition::getName)
                .anyMatch(Subgraph.SERVICE_FIELD::equals);
    }

    static String queryTypeName(Document document) {
        return document.getDefinitionsOfType(SchemaDefinition.class).stream()
                .flatMap(schema -> schema.getOperationTypeDefinitions().stream())
                .filter(operation -> operation.getName().equals("query"))
                .map(operation -> operation.getTypeName().getName())
                .findFirst().orElse("Query");
    }
}
