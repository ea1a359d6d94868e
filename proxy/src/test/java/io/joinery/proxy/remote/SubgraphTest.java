package io.joinery.proxy.remote;

import graphql.language.AstPrinter;
import graphql.language.Document;
import graphql.parser.Parser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading a subgraph's entities from its {@code _service { sdl }}, and hiding its plumbing from clients. */
class SubgraphTest {

    @Test
    void readsFederationV1KeysOnTypesAndTypeExtensions() {
        Subgraph subgraph = Subgraph.fromSdl("""
                extend type Query { review(id: ID!): Review }
                type Review @key(fields: "id") { id: ID! stars: Int }
                extend type Product @key(fields: "upc") @key(fields: "sku store") { upc: String! @external sku: String! @external store: Int! @external }
                type Plain { name: String }
                """);
        assertTrue(subgraph.federated());
        assertEquals(List.of("id"), subgraph.keys("Review").getFirst().topLevel());
        assertEquals(2, subgraph.keys("Product").size(), "one entry per @key");
        assertEquals(List.of("sku", "store"), subgraph.keys("Product").get(1).topLevel());
        assertTrue(subgraph.keys("Plain").isEmpty());
    }

    @Test
    void readsFederationV2KeysImportedRenamedOrNamespaced() {
        Subgraph imported = Subgraph.fromSdl("""
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
                type Account @key(fields: "id") @key(fields: "email", resolvable: false) { id: ID! email: String! }
                """);
        assertEquals(2, imported.keys("Account").size());
        assertTrue(imported.keys("Account").get(0).resolvable());
        assertFalse(imported.keys("Account").get(1).resolvable(), "resolvable: false is kept, so a join can refuse it");

        Subgraph renamed = Subgraph.fromSdl("""
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: [{name: "@key", as: "@id"}])
                type Account @id(fields: "id") { id: ID! }
                """);
        assertEquals(List.of("id"), renamed.keys("Account").getFirst().topLevel());

        Subgraph namespaced = Subgraph.fromSdl("""
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", as: "fed")
                type Account @fed__key(fields: "id") { id: ID! }
                type Other @federation__key(fields: "code") { code: String! }
                """);
        assertEquals(1, namespaced.keys("Account").size());
        assertEquals(1, namespaced.keys("Other").size());
    }

    @Test
    void aNestedKeyIsNotFlat() {
        Subgraph subgraph = Subgraph.fromSdl("""
                type User @key(fields: "id organization { id }") { id: ID! organization: Org! }
                type Org { id: ID! }
                """);
        Subgraph.EntityKey key = subgraph.keys("User").getFirst();
        assertEquals(List.of("id", "organization"), key.topLevel());
        assertFalse(key.flat());
    }

    @Test
    void thePlumbingIsLeftOutOfWhatClientsSee() {
        Document introspected = Parser.parse("""
                schema { query: Query }
                type Query { account(id: ID!): Account _service: _Service! _entities(representations: [_Any!]!): [_Entity]! }
                type Account { id: ID! handle: String }
                type _Service { sdl: String }
                union _Entity = Account
                scalar _Any
                scalar link__Import
                enum link__Purpose { SECURITY EXECUTION }
                scalar federation__FieldSet
                directive @link(url: String!, as: String, import: [link__Import], for: link__Purpose) repeatable on SCHEMA
                directive @key(fields: federation__FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
                directive @custom(reason: String) on FIELD_DEFINITION
                """);
        String printed = AstPrinter.printAst(Subgraph.withoutPlumbing(introspected, "Query"));
        for (String hidden : List.of("_service", "_entities", "_Service", "_Entity", "_Any", "link__", "federation__", "@link", "@key")) {
            assertFalse(printed.contains(hidden), hidden + " is hidden:\n" + printed);
        }
        for (String kept : List.of("account(id: ID!): Account", "type Account", "@custom")) {
            assertTrue(printed.contains(kept), kept + " is kept:\n" + printed);
        }
    }
}
