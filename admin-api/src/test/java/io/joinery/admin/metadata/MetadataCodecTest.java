package io.joinery.admin.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataCodecTest {

    private static final Metadata DOCUMENT = new Metadata(1, List.of(new Source("default", null, false, List.of(
            new TableConfig("author", null, null, null,
                    Map.of("articles", Relationship.array("article", Map.of("id", "author_id"))), null),
            TableConfig.of("article")))));

    @Test
    void jsonRoundTripsADocumentWithFalseBooleansLeftOut() {
        String json = MetadataCodec.toJson(DOCUMENT);
        assertEquals(DOCUMENT, MetadataCodec.parse(json), "toJson output must parse back:\n" + json);
    }

    @Test
    void aTableWithoutCustomNamesIsWrittenWithoutEmptyParts() {
        assertEquals("{\"version\":1,\"sources\":[{\"name\":\"default\",\"tables\":[{\"table\":\"article\"}]}]}",
                MetadataCodec.toTree(new Metadata(1, List.of(new Source("default", null, false, List.of(TableConfig.of("article")))))).toString());
    }

    @Test
    void yamlRoundTrips() {
        assertEquals(DOCUMENT, MetadataCodec.parse(MetadataCodec.toYaml(DOCUMENT)));
    }

    /** The permissions of every operation, as docs/metadata.md shows them. */
    private static final String PERMISSIONS = """
            version: 1
            sources:
              - name: default
                tables:
                  - table: article
                    permissions:
                      user:
                        select: { columns: ["*"], filter: { author_id: { _eq: X-Joinery-User-Id } } }
                        insert:
                          check: { author_id: { _eq: X-Joinery-User-Id } }
                          columns: [title, body]
                          set: { author_id: X-Joinery-User-Id, rating: 3, published: false }
                          backend_only: true
                        update:
                          columns: [title, body]
                          filter: { author_id: { _eq: X-Joinery-User-Id } }
                          check: { published: { _eq: false } }
                          set: { updated_by: X-Joinery-User-Id }
                        delete:
                          filter: { author_id: { _eq: X-Joinery-User-Id } }
                      writer:
                        insert: { check: {}, columns: ["*"] }
            """;

    @Test
    void permissionsOfEveryOperationRoundTripExactly() throws Exception {
        Metadata document = MetadataCodec.parse(PERMISSIONS);

        assertEquals(document, MetadataCodec.parse(MetadataCodec.toJson(document)), "JSON round trip");
        assertEquals(document, MetadataCodec.parse(MetadataCodec.toYaml(document)), "YAML round trip");
        JsonNode expected = new YAMLMapper().readTree(PERMISSIONS).at("/sources/0/tables/0/permissions");
        ((ObjectNode) expected.at("/user/select")).put("allow_aggregations", false); // written, as before
        assertEquals(expected, MetadataCodec.toTree(document).at("/sources/0/tables/0/permissions"),
                "written back as read: every key, literal presets keep their JSON types, nothing added");
        RolePermissions writer = document.sources().getFirst().tables().getFirst().permissions().get("writer");
        assertEquals(new RolePermissions(null, new InsertPermission(JsonNodeFactory.instance.objectNode(), List.of("*"), null, false), null, null),
                writer, "absent operations are null: denied");
    }

    @Test
    void emptyPartsOfAMutationPermissionAreLeftOutWhenWritten() {
        RolePermissions permissions = new RolePermissions(null, new InsertPermission(null, null, null, false),
                new UpdatePermission(List.of(), null, null, Map.of()), new DeletePermission(null));
        assertEquals("{\"insert\":{},\"update\":{},\"delete\":{}}", MetadataCodec.toTree(permissions).toString());
        assertEquals(permissions, MetadataCodec.convert(MetadataCodec.toTree(permissions), RolePermissions.class));
    }

    static final String WITH_ACTIONS = """
            version: 1
            custom_types:
              - definition: scalar Email
              - definition: |
                  # an order as the shop takes it
                  input OrderInput {
                    "the item"  item_id: Int!
                    email: Email
                  }
              - definition: '"what the shop answers" type OrderResult { order_id: Int!, status: String }'
                relationships:
                  order: { object: shop.order, source: shop, on: { order_id: id } }
            actions:
              - name: createOrder
                kind: mutation
                arguments: { input: "OrderInput!", note: String }
                output: OrderResult
                handler: { from_env: ORDERS_URL }
                headers: { X-Api-Key: { from_env: ORDERS_KEY }, X-Client: joinery }
                forward_client_headers: true
                timeout_seconds: 0
                roles: [user, shop-admin]
                comment: Places an order
              - name: orders
                output: "[OrderResult!]!"
                handler: https://shop.internal/orders
            """;

    @Test
    void actionsAndCustomTypesRoundTripExactlyDefinitionTextIncluded() {
        Metadata metadata = MetadataCodec.parse(WITH_ACTIONS);
        assertEquals(metadata, MetadataCodec.parse(MetadataCodec.toJson(metadata)), "JSON round trip:\n" + MetadataCodec.toJson(metadata));
        assertEquals(metadata, MetadataCodec.parse(MetadataCodec.toYaml(metadata)), "YAML round trip:\n" + MetadataCodec.toYaml(metadata));
        assertEquals("# an order as the shop takes it\ninput OrderInput {\n  \"the item\"  item_id: Int!\n  email: Email\n}\n",
                metadata.customTypes().get(1).definition(), "the definition is kept as written, comments and layout included");
        assertEquals(List.of("Email", "OrderInput", "OrderResult"),
                metadata.customTypes().stream().map(type -> type.name().orElseThrow()).toList());
        Action createOrder = metadata.action("createOrder").orElseThrow();
        assertEquals(List.of("input", "note"), List.copyOf(createOrder.arguments().keySet()), "arguments keep their order");
        assertEquals(0, createOrder.timeoutSeconds(), "a timeout that is not positive is read, for the checks to report");
        Action orders = metadata.action("orders").orElseThrow();
        assertEquals(Action.MUTATION, orders.operation(), "kind defaults to mutation");
        assertEquals(Action.DEFAULT_TIMEOUT_SECONDS, orders.timeout());
        assertEquals("{\"name\":\"orders\",\"output\":\"[OrderResult!]!\",\"handler\":\"https://shop.internal/orders\"}",
                MetadataCodec.toTree(orders).toString(), "defaults and empty parts are left out when written");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            {"upsert": {}}                         | $.upsert: unknown key 'upsert' (known keys: delete, insert, select, update)
            {"insert": {"filter": {}}}             | $.insert.filter: unknown key 'filter' (known keys: backend_only, check, columns, set)
            {"update": {"columns_of": ["id"]}}     | $.update.columns_of: unknown key 'columns_of' (known keys: backend_only, check, columns, filter, set)
            {"delete": {"columns": ["id"]}}        | $.delete.columns: unknown key 'columns' (known keys: backend_only, filter)
            """)
    void anUnknownKeyOfAPermissionIsAnError(String json, String message) throws Exception {
        MetadataException e = assertThrows(MetadataException.class,
                () -> MetadataCodec.convert(new ObjectMapper().readTree(json), RolePermissions.class));
        assertEquals("invalid metadata at " + message, e.getMessage());
    }

    @Test
    void yamlIsWrittenForPeopleAndGit() {
        assertEquals("""
                version: 1
                sources:
                  - name: default
                    tables:
                      - table: author
                        relationships:
                          articles:
                            array: article
                            "on":
                              id: author_id
                      - table: article
                """, MetadataCodec.toYaml(DOCUMENT), "(YAML 1.1 reads a bare on as true: the writer quotes it, the reader takes both)");
    }

    @Test
    void aMultiLineDefinitionIsWrittenAsABlockAndReadsBackAsWritten() {
        Metadata metadata = MetadataCodec.parse(WITH_ACTIONS);
        String yaml = MetadataCodec.toYaml(metadata);
        assertTrue(yaml.contains("""
                  - definition: |
                      # an order as the shop takes it
                      input OrderInput {
                """), "a block, as a person writes it:\n" + yaml);
        assertEquals(metadata, MetadataCodec.parse(yaml));
    }

    @Test
    void yamlQuotesTheStringsThatWouldReadBackAsSomethingElse() {
        String tricky = """
                {"version": 1, "sources": [{"name": "default", "tables": [{"table": "author", "permissions": {"user": {"select": {
                  "columns": ["*"], "filter": {"_and": [{"name": {"_eq": "123"}}, {"name": {"_eq": "true"}}, {"name": {"_eq": "null"}},
                  {"name": {"_eq": "a: b"}}, {"name": {"_eq": "#x"}}, {"name": {"_eq": ""}}, {"name": {"_eq": "- x"}},
                  {"name": {"_eq": "{x}"}}, {"name": {"_eq": "1.5e3"}}, {"name": {"_eq": "yes"}}, {"name": {"_eq": 7}}]}}}}}]}]}
                """;
        Metadata document = MetadataCodec.parse(tricky);
        String yaml = MetadataCodec.toYaml(document);
        assertEquals(document, MetadataCodec.parse(yaml), "every value reads back with its type:\n" + yaml);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            actions: [{output: T, handler: http://h}]                                       | an action needs a name
            actions: [{name: a, handler: http://h}]                                         | action 'a' needs an output type
            actions: [{name: a, output: T}]                                                 | action 'a' needs a handler
            actions: [{name: a, kind: subscription, output: T, handler: http://h}]          | kind is 'query' or 'mutation', not 'subscription'
            actions: [{name: a, output: T, handler: http://h, arguments: {x: ''}}]           | argument 'x' needs a type
            actions: [{name: a, output: T, handler: http://h}, {name: a, output: T, handler: http://h}]   | action names must be unique
            actions: [{name: a, output: T, handler: http://h, timeout: 5}]                  | unknown key 'timeout'
            custom_types: [{relationships: {}}]                                              | a custom type needs 'definition'
            custom_types: [{definition: scalar A}, {definition: 'enum A { X }'}]             | custom type names must be unique: A is defined twice
            custom_types: [{definition: scalar A, name: A}]                                  | unknown key 'name'
            """)
    void malformedActionsAndCustomTypesAreRefusedWithAMessage(String yaml, String message) {
        MetadataException e = assertThrows(MetadataException.class, () -> MetadataCodec.parse(yaml));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            {P: {a: {remote_schema: s}}}                                       | $.remote_schemas[0].relationships.P.a: a remote relationship needs 'remote_field', 'batch' or 'federation'
            {P: {a: {remote_schema: s, remote_field: {a: {argument: {}}}}}}    | $.remote_schemas[0].relationships.P.a: at remote_field.a.argument: unknown key 'argument' (known keys: arguments, field)
            {P: {a: {remote_schema: s, remote_field: {a: {}}, on: {x: y}}}}    | $.remote_schemas[0].relationships.P.a: at on: unknown key 'on' (known keys: batch, federation, remote_field, remote_schema)
            {P: {a: {object: t}}}                                              | $.remote_schemas[0].relationships.P.a: a relationship needs 'on'
            {P: {a: [t]}}                                                      | $.remote_schemas[0].relationships.P.a: a relationship is an object
            """)
    void aRemoteTypeRelationshipIsATableOrARemoteRelationshipAndSaysWhereItIsWrong(String relationships, String message) {
        MetadataException e = assertThrows(MetadataException.class,
                () -> MetadataCodec.parse("remote_schemas: [{name: r, url: http://r, relationships: " + relationships + "}]"));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void remoteTypeRelationshipsOfBothKindsReadBackAsWritten() {
        Metadata document = MetadataCodec.parse("""
                remote_schemas:
                  - name: profiles
                    url: http://profiles
                    relationships:
                      Profile:
                        author: { object: author, on: { authorId: id } }
                        account: { remote_schema: accounts, remote_field: { account: { arguments: { id: $accountId } } } }
                        entity: { remote_schema: accounts, federation: { type: Account, key: { id: accountId } } }
                  - name: accounts
                    url: http://accounts
                """);
        Map<String, TypeRelationship> profile = document.remoteSchema("profiles").orElseThrow().relationships().get("Profile");
        assertEquals(List.of("author", "account", "entity"), List.copyOf(profile.keySet()));
        assertEquals(Relationship.object("author", Map.of("authorId", "id")), profile.get("author").table());
        assertEquals("accounts", profile.get("account").remote().remoteSchema());
        assertEquals(List.of(false, true, true), profile.values().stream().map(TypeRelationship::toRemoteSchema).toList());
        assertEquals(document, MetadataCodec.parse(MetadataCodec.toJson(document)));
        assertEquals(document, MetadataCodec.parse(MetadataCodec.toYaml(document)));
    }

    @Test
    void anUnknownKeyIsNamedWithTheKnownOnes() {
        MetadataException e = assertThrows(MetadataException.class,
                () -> MetadataCodec.parse("{\"version\": 1, \"sources\": [{\"name\": \"default\", \"tabels\": []}]}"));
        assertTrue(e.getMessage().contains("$.sources[0].tabels") && e.getMessage().contains("unknown key 'tabels'")
                && e.getMessage().contains("tables"), e.getMessage());
    }
}
