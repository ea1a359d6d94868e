package io.joinery.proxy.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.RemoteRelationship;
import io.joinery.admin.metadata.RemoteSchemaConfig;
import io.joinery.admin.metadata.ValueFrom;
import io.joinery.proxy.remote.RemoteSchema;
import io.joinery.proxy.remote.Subgraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consistency checks of the batch and federation forms of a remote relationship, from a table and from a remote schema's type. */
class RemoteRelationshipResolverTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final GraphQLSchema SCHEMA = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse("""
            type Query {
              profile(authorId: Int!): Profile
              profiles(authorIds: [Int!]!): [Profile!]!
              byName(names: [String!]!): [Profile!]!
              flags(values: [Boolean!]!): [Profile!]!
              users(where: UserWhere!): [Profile]
              stocks(keys: [StockKey!]!): [Stock!]!
              tags(authorIds: [Int!]!): [String!]!
              directory: Directory
            }
            type Directory { profiles(authorIds: [Int!]!): [Profile!]! }
            input UserWhere { authorId: IntFilter }
            input IntFilter { _in: [Int!] }
            input StockKey { sku: String! store: Int! }
            type Profile { authorId: Int! name: String tags: [String!]! }
            type Stock { sku: String! store: Int! quantity: Int! }
            type Account { authorId: Int! handle: String }
            """), RuntimeWiring.newRuntimeWiring().build());
    private static final RemoteSchemaConfig CONFIG = new RemoteSchemaConfig("profiles", new ValueFrom("http://127.0.0.1:1/graphql", null),
            Map.of(), false, null, null, null);
    private static final RemoteSchema REMOTE = new RemoteSchema(CONFIG, null, SCHEMA);
    private static final RemoteSchema SUBGRAPH = new RemoteSchema(CONFIG, null, SCHEMA, new Subgraph(true, Map.of(
            "Account", List.of(new Subgraph.EntityKey("authorId", List.of("authorId"), true, true)),
            "Stock", List.of(new Subgraph.EntityKey("sku store", List.of("sku", "store"), true, true),
                    new Subgraph.EntityKey("quantity", List.of("quantity"), true, false)))));
    private static final TableModel TABLE = new TableModel("default/public.member", "default", new QualifiedName("public", "member"),
            "member", "member", "member_by_pk", "member_aggregate",
            List.of(column("id", "int4", ScalarKind.INT), column("name", "text", ScalarKind.STRING),
                    column("active", "bool", ScalarKind.BOOLEAN), column("sku", "text", ScalarKind.STRING),
                    column("store_id", "int4", ScalarKind.INT)),
            List.of("id"), Map.of(), Map.of(), Map.of());

    @Test
    void aListArgumentJoinResolvesToTheElementTypeOrAListOfIt() {
        RemoteRelationshipModel object = resolved("{batch: {field: profiles, arguments: {authorIds: $id}, key: {authorId: id}}}");
        assertEquals("Profile", GraphQLTypeUtil.simplePrint(object.type()));
        assertEquals(List.of("id"), object.keyColumns());
        assertEquals(new JoinForm.ListArgument(List.of("authorId"), false), object.form());

        RemoteRelationshipModel array = resolved("{batch: {field: profiles, arguments: {authorIds: $id}, key: {authorId: id}, array: true}}");
        assertEquals("[Profile!]", GraphQLTypeUtil.simplePrint(array.type()));

        RemoteRelationshipModel nested = resolved("{batch: {field: directory.profiles, arguments: {authorIds: $id}, key: {authorId: id}}}");
        assertEquals(List.of("directory", "profiles"), nested.path().stream().map(RemotePathStep::field).toList());
        assertEquals(JoinForm.PER_KEY, nested.path().getFirst().form());

        RemoteRelationshipModel filter = resolved("{batch: {field: users, arguments: {where: {authorId: {_in: $id}}}, key: {authorId: id}}}");
        assertEquals("Profile", GraphQLTypeUtil.simplePrint(filter.type()));

        RemoteRelationshipModel composite = resolved(
                "{batch: {field: stocks, arguments: {keys: [{sku: $sku, store: $store_id}]}, key: {sku: sku, store: store_id}}}");
        assertEquals(List.of("sku", "store_id"), composite.keyColumns());
        assertEquals("Stock", GraphQLTypeUtil.simplePrint(composite.type()));

        resolved("{batch: {field: byName, arguments: {names: $id}, key: {authorId: id}}}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{batch: {field: profile, arguments: {authorId: $id}, key: {authorId: id}}}                | argument profile(authorId) gets the list of the keys' $id values, but it is Int!, not a list",
            "{batch: {field: flags, arguments: {values: $id}, key: {authorId: id}}}                    | remote type Boolean does not compare with column type int4",
            "{batch: {field: profiles, arguments: {authorIds: $name}, key: {authorId: name}}}          | remote type Int does not compare with column type text",
            "{batch: {field: profiles, arguments: {authorIds: $id}, key: {tags: id}}}                  | result field Profile.tags cannot match column id",
            "{batch: {field: profiles, arguments: {authorIds: $id}, key: {nope: id}}}                  | result field Profile.nope does not exist",
            "{batch: {field: profiles, arguments: {authorIds: $name}, key: {authorId: id}}}            | uses $name, which is not a column of the batch key",
            "{batch: {field: tags, arguments: {authorIds: $id}, key: {authorId: id}}}                  | returns [String!]!, not a list of objects",
            "{batch: {field: stocks, arguments: {keys: [{sku: $sku, store: $store_id}, {sku: x, store: 1}]}, key: {sku: sku, store: store_id}}} | must have exactly one element",
            "{batch: {field: profiles, arguments: {authorIds: $id}, key: {authorId: missing}}}         | batch key column missing is not a column",
            "{batch: {field: nothing, arguments: {authorIds: $id}, key: {authorId: id}}}               | uses field Query.nothing",
            "{federation: {type: Account, key: {authorId: id}}}                                        | is not an Apollo Federation subgraph",
            "{remote_field: {profile: {arguments: {authorId: $name}}}}                                 | $name: remote type Int does not compare with column type text",
    })
    void inconsistentBatchRelationshipsSayWhy(String yaml, String reason) {
        var resolution = resolve(yaml, REMOTE);
        assertInstanceOf(RemoteRelationshipResolver.Problem.class, resolution, yaml);
        String problem = ((RemoteRelationshipResolver.Problem) resolution).reason();
        assertTrue(problem.contains(reason), problem);
    }

    @Test
    void aFederationJoinNeedsOneOfTheResolvableKeysOfAnEntity() {
        RemoteRelationshipModel account = resolvedOn("{federation: {type: Account, key: {authorId: id}}}", SUBGRAPH);
        assertEquals("Account", GraphQLTypeUtil.simplePrint(account.type()));
        assertEquals(new JoinForm.Entities("Account", List.of("authorId")), account.form());
        RemoteRelationshipModel stock = resolvedOn("{federation: {type: Stock, key: {store: store_id, sku: sku}}}", SUBGRAPH);
        assertEquals(List.of("store_id", "sku"), stock.keyColumns(), "key columns in the order written, with the entity fields in step");

        assertProblem("{federation: {type: Stock, key: {quantity: id}}}", "is none of the resolvable @keys of Stock: [\"sku store\"]");
        assertProblem("{federation: {type: Profile, key: {authorId: id}}}", "type Profile is not an entity");
        assertProblem("{federation: {type: Nope, key: {authorId: id}}}", "has no object type Nope");
        assertProblem("{federation: {type: Account, key: {authorId: name}}}", "remote type Int does not compare with column type text");
    }

    @Test
    void aBatchFieldTheRemoteLacksFallsBackToTheGivenPerKeyField() {
        RemoteRelationshipModel model = resolved("""
                {batch: {field: nothing, arguments: {authorIds: $id}, key: {authorId: id}},
                 remote_field: {profile: {arguments: {authorId: $id}}}}""");
        assertEquals(JoinForm.PER_KEY, model.form());
        assertProblemOn("""
                {batch: {field: nothing, arguments: {authorIds: $id}, key: {authorId: id}, array: true},
                 remote_field: {profile: {arguments: {authorId: $id}}}}""", REMOTE, "uses field Query.nothing");
    }

    // ---- from a remote schema's type (remote → remote)

    private static final graphql.schema.GraphQLObjectType MEMBER = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse("""
            type Query { member: Member }
            type Member { id: Int! name: String handle: ID level: Level tags: [String!]! friend: Member score(scale: Int!): Float }
            enum Level { LOW HIGH }
            """), RuntimeWiring.newRuntimeWiring().build()).getObjectType("Member");
    private static final JoinParent.RemoteType PARENT = new JoinParent.RemoteType("members", MEMBER);

    @Test
    void aRemoteTypesScalarFieldsAreItsKeysInEachForm() {
        RemoteRelationshipModel perKey = resolvedFrom("{remote_field: {profile: {arguments: {authorId: $id}}}}", REMOTE);
        assertEquals(List.of("id"), perKey.keyColumns());
        assertEquals("Profile", GraphQLTypeUtil.simplePrint(perKey.type()));
        assertEquals("profiles", perKey.remote());

        RemoteRelationshipModel batch = resolvedFrom("{batch: {field: profiles, arguments: {authorIds: $id}, key: {authorId: id}, array: true}}", REMOTE);
        assertEquals(new JoinForm.ListArgument(List.of("authorId"), true), batch.form());
        assertEquals("[Profile!]", GraphQLTypeUtil.simplePrint(batch.type()));

        RemoteRelationshipModel entity = resolvedFrom("{federation: {type: Account, key: {authorId: id}}}", SUBGRAPH);
        assertEquals(new JoinForm.Entities("Account", List.of("authorId")), entity.form());

        resolvedFrom("{batch: {field: byName, arguments: {names: $handle}, key: {name: handle}}}", REMOTE);
        resolvedFrom("{batch: {field: byName, arguments: {names: $level}, key: {name: level}}}", REMOTE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{remote_field: {profile: {arguments: {authorId: $nope}}}}                        | argument authorId uses $nope, which is not a field of type Member",
            "{remote_field: {profile: {arguments: {authorId: $tags}}}}                        | uses $tags, which is not a scalar field of type Member without required arguments (it is [String!]!)",
            "{remote_field: {profile: {arguments: {authorId: $friend}}}}                      | uses $friend, which is not a scalar field of type Member",
            "{remote_field: {profile: {arguments: {authorId: $score}}}}                       | uses $score, which is not a scalar field of type Member",
            "{remote_field: {profile: {arguments: {authorId: $name}}}}                        | $name: remote type Int does not compare with field type String",
            "{remote_field: {profile: {arguments: {authorId: $handle}}}}                      | $handle: remote type Int does not compare with field type ID",
            "{remote_field: {profile: {}}}                                                    | argument authorId of profile is required",
            "{remote_field: {directory: {}}}                                                  | its arguments use no field of the type ($field)",
            "{batch: {field: profiles, arguments: {authorIds: $id}, key: {authorId: nope}}}   | batch key field nope is not a field of type Member",
            "{batch: {field: profiles, arguments: {authorIds: $id}, key: {tags: id}}}         | result field Profile.tags cannot match field id: the remote type is a list, not one value like field type Int",
            "{batch: {field: flags, arguments: {values: $id}, key: {authorId: id}}}           | remote type Boolean does not compare with field type Int",
            "{federation: {type: Account, key: {authorId: name}}}                             | is not an Apollo Federation subgraph",
    })
    void aRemoteTypesRelationshipSaysWhyItDoesNotResolve(String yaml, String reason) {
        var resolution = resolveFrom(yaml, REMOTE, "rel");
        assertInstanceOf(RemoteRelationshipResolver.Problem.class, resolution, yaml);
        String problem = ((RemoteRelationshipResolver.Problem) resolution).reason();
        assertTrue(problem.startsWith("remote schema 'members', type Member, relationship rel: "), problem);
        assertTrue(problem.contains(reason), problem);
    }

    @Test
    void aRemoteTypesRelationshipMayNotTakeAFieldsNameAndNeedsItsRemote() {
        var collides = resolveFrom("{remote_field: {profile: {arguments: {authorId: $id}}}}", REMOTE, "name");
        assertTrue(((RemoteRelationshipResolver.Problem) collides).reason().endsWith("collides with a field of the type"), collides.toString());
        var entityKey = resolveFrom("{federation: {type: Account, key: {authorId: name}}}", SUBGRAPH, "rel");
        assertTrue(((RemoteRelationshipResolver.Problem) entityKey).reason().contains(
                "entity field Account.authorId cannot match field name: remote type Int does not compare with field type String"), entityKey.toString());
        var unavailable = RemoteRelationshipResolver.resolve("rel", relationship("{remote_field: {profile: {}}}"), PARENT, Map.of());
        assertEquals("remote schema 'members', type Member, relationship rel: remote schema 'profiles' is not available",
                ((RemoteRelationshipResolver.Problem) unavailable).reason());
    }

    private static RemoteRelationshipModel resolvedFrom(String yaml, RemoteSchema remote) {
        var resolution = resolveFrom(yaml, remote, "rel");
        assertInstanceOf(RemoteRelationshipResolver.Resolved.class, resolution, resolution.toString());
        return ((RemoteRelationshipResolver.Resolved) resolution).model();
    }

    private static RemoteRelationshipResolver.Resolution resolveFrom(String yaml, RemoteSchema remote, String name) {
        return RemoteRelationshipResolver.resolve(name, relationship(yaml), PARENT, Map.of("profiles", remote));
    }

    private static RemoteRelationship relationship(String yaml) {
        try {
            JsonNode node = YAML.readTree(yaml);
            ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("remote_schema", "profiles");
            return YAML.treeToValue(node, RemoteRelationship.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void assertProblem(String yaml, String reason) {
        assertProblemOn(yaml, SUBGRAPH, reason);
    }

    private static void assertProblemOn(String yaml, RemoteSchema remote, String reason) {
        var resolution = resolve(yaml, remote);
        assertInstanceOf(RemoteRelationshipResolver.Problem.class, resolution, yaml);
        String problem = ((RemoteRelationshipResolver.Problem) resolution).reason();
        assertTrue(problem.contains(reason), problem);
    }

    private static RemoteRelationshipModel resolved(String yaml) {
        return resolvedOn(yaml, REMOTE);
    }

    private static RemoteRelationshipModel resolvedOn(String yaml, RemoteSchema remote) {
        var resolution = resolve(yaml, remote);
        assertInstanceOf(RemoteRelationshipResolver.Resolved.class, resolution, resolution.toString());
        return ((RemoteRelationshipResolver.Resolved) resolution).model();
    }

    private static RemoteRelationshipResolver.Resolution resolve(String yaml, RemoteSchema remote) {
        try {
            JsonNode node = YAML.readTree(yaml);
            ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("remote_schema", "profiles");
            RemoteRelationship relationship = YAML.treeToValue(node, RemoteRelationship.class);
            return RemoteRelationshipResolver.resolve("rel", relationship, TABLE, Map.of("profiles", remote));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ColumnModel column(String name, String sqlType, ScalarKind kind) {
        return new ColumnModel(name, name, sqlType, kind.graphqlName(sqlType), kind, false, true);
    }
}
