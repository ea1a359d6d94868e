package io.joinery.proxy.remote;

import graphql.language.IntValue;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.MockedWiringFactory;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A permission's SDL against a remote's schema: what is a subset, what is not, and the presets it takes out. */
class RemotePermissionTest {

    static final GraphQLSchema REMOTE = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse("""
            type Query { profile(authorId: Int!, viewer: ID): Profile  search(filter: Filter): [Profile!]!  node: Node  any: Thing }
            type Mutation { follow(id: Int!): Boolean }
            interface Node { id: ID! }
            type Profile implements Node { id: ID! bio: String level: Level }
            type Other implements Node { id: ID! }
            union Thing = Profile | Other
            input Filter { text: String! limit: Int }
            enum Level { BASIC PRO }
            """), RuntimeWiring.newRuntimeWiring().wiringFactory(new MockedWiringFactory()).build());

    @Test
    void aSubsetWithPresetsBecomesTheRolesSchemaWithoutThem() {
        RemotePermission permission = RemotePermission.of("user", """
                type Query { profile(authorId: Int! @preset(value: 7), viewer: ID @preset(value: "X-Joinery-User-Id")): Profile }
                type Profile { bio: String level: Level }
                enum Level { PRO }
                """, REMOTE);
        assertEquals(0, permission.schema().getQueryType().getFieldDefinition("profile").getArguments().size(), "presets are not the client's");
        assertNull(permission.schema().getType("Mutation"), "no mutation type the SDL does not give");
        assertEquals(new RemotePermission.LiteralPreset(new IntValue(BigInteger.valueOf(7))).toString(),
                permission.presets("Query", "profile").get("authorId").toString());
        assertEquals(new RemotePermission.SessionPreset("x-joinery-user-id"), permission.presets("Query", "profile").get("viewer"));
        assertEquals(Set.of("x-joinery-user-id"), permission.sessionVariables());
    }

    @Test
    void aStaticPresetIsALiteralEvenWhenItLooksLikeASessionVariable() {
        RemotePermission permission = RemotePermission.of("user", """
                type Query { profile(authorId: Int!, viewer: ID @preset(value: "x-joinery-user-id", static: true)): Profile }
                type Profile { bio: String }
                """, REMOTE);
        assertTrue(permission.presets("Query", "profile").get("viewer") instanceof RemotePermission.LiteralPreset);
        assertTrue(permission.sessionVariables().isEmpty());
    }

    @Test
    void presetInputFieldsLeaveTheRolesInputTypeAndAreKeptByType() {
        RemotePermission permission = RemotePermission.of("user", """
                type Query { search(filter: Filter): [Profile!]! }
                type Profile { bio: String }
                input Filter { text: String! limit: Int @preset(value: "X-Joinery-Limit") }
                """, REMOTE);
        var filter = (graphql.schema.GraphQLInputObjectType) permission.schema().getType("Filter");
        assertEquals(1, filter.getFieldDefinitions().size(), "the preset field is not the client's: " + filter.getFieldDefinitions());
        assertEquals(new RemotePermission.SessionPreset("x-joinery-limit"), permission.inputPresets("Filter").get("limit"));
        assertEquals(Set.of("x-joinery-limit"), permission.sessionVariables());
        assertTrue(permission.reachesInputPresets(REMOTE.getQueryType().getFieldDefinition("search").getArgument("filter").getType(), REMOTE));
        assertTrue(!permission.reachesInputPresets(REMOTE.getQueryType().getFieldDefinition("profile").getArgument("authorId").getType(), REMOTE));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "type Query { profile(authorId: Int!): Secret } type Secret { x: String }; the remote has no object type Secret",
            "type Query { profile(authorId: Int!): Profile } type Profile { secret: String }; the remote has no field Profile.secret",
            "type Query { profile(authorId: Int!, extra: Int): Profile } type Profile { bio: String }; the remote has no argument Query.profile(extra)",
            "type Query { profile(authorId: String!): Profile } type Profile { bio: String }; Query.profile(authorId) has the type Int! in the remote, not String!",
            "type Query { profile: Profile } type Profile { bio: String }; the remote requires the argument Query.profile(authorId)",
            "type Query { search(filter: Filter): [Profile!]! } type Profile { bio: String } input Filter { limit: Int }; the remote requires the input field Filter.text",
            "type Query { profile(authorId: Int!): Profile } type Profile { level: Level } enum Level { GOLD }; the remote's enum Level has no value GOLD",
            "type Query { any: Thing } type Profile { bio: String } union Thing = Profile | Ghost ; the remote's union Thing has no member Ghost",
            "type Query { profile(authorId: Int!): Profile } type Profile implements Other { bio: String }; Profile does not implement Other in the remote",
            "type Profile { bio: String }; the schema has no query root type Query",
            "type Query { profile(authorId: Int! @preset(value: $x)): Profile } type Profile { bio: String }; is a variable",
            "type Query { profile(authorId: Int!): Profile }; not a valid GraphQL schema",
            "type Query { search(filter: Filter): [Profile!]! } type Profile { bio: String } input Filter { text: String! @preset(value: 1) }; every field of the input type Filter is preset",
            "type Query { profile(authorId: Int!): Profile { }; does not parse",
    })
    void whatIsNotASubsetIsRefusedSayingWhere(String sdl, String problem) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> RemotePermission.of("user", sdl, REMOTE));
        assertTrue(refused.getMessage().contains(problem.strip()), problem + " in: " + refused.getMessage());
    }
}
