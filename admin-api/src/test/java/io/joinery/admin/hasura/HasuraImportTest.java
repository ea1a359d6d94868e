package io.joinery.admin.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.ObjectTypeDefinition;
import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.catalog.ForeignKey;
import io.joinery.admin.catalog.TableInfo;
import io.joinery.admin.metadata.Action;
import io.joinery.admin.metadata.BodyTransform;
import io.joinery.admin.metadata.CustomType;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.MetadataException;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.RequestTransform;
import io.joinery.admin.metadata.RolePermissions;
import io.joinery.admin.metadata.SelectPermission;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.admin.metadata.ValueFrom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HasuraImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The default source's catalog for export-v3.json: reviews.review has no foreign key on purpose. */
    static final ForeignKeys FOREIGN_KEYS = ForeignKeys.of(Map.of("default", new DatabaseCatalog(Map.of(
            table("author"), tableInfo("author"),
            table("article"), tableInfo("article", new ForeignKey("article_author_id_fkey", table("author"), Map.of("author_id", "id"))),
            table("author_profile"), tableInfo("author_profile",
                    new ForeignKey("author_profile_author_id_fkey", table("author"), Map.of("author_id", "id"))),
            table("reviews.review"), tableInfo("reviews.review")))));

    @Test
    void importsTablesRelationshipsPermissionsAndRemoteSchemas() {
        Metadata expected = MetadataCodec.parse(resource("expected-metadata.yaml"));

        Metadata actual = HasuraImport.convert(exportV3(), FOREIGN_KEYS).metadata();

        assertEquals(MetadataCodec.toYaml(expected), MetadataCodec.toYaml(actual), "imported document");
        assertEquals(expected, actual);
    }

    @Test
    void listsExactlyWhatItCannotMap() {
        List<String> expected = resource("expected-unmapped.txt").lines().filter(line -> !line.startsWith("#")).toList();

        List<String> actual = HasuraImport.convert(exportV3(), FOREIGN_KEYS).unmapped().stream()
                .map(u -> u.path() + " | " + u.what() + " | " + u.reason())
                .toList();

        assertEquals(String.join("\n", expected), String.join("\n", actual), "unmapped entries, in order");
    }

    @Test
    void importedDocumentParsesBackUnchanged() {
        Metadata imported = HasuraImport.convert(exportV3(), FOREIGN_KEYS).metadata();

        assertEquals(imported, MetadataCodec.parse(MetadataCodec.toYaml(imported)), "YAML round trip");
        assertEquals(imported, MetadataCodec.parse(MetadataCodec.toJson(imported)), "JSON round trip");
    }

    @Test
    void withoutForeignKeysListsForeignKeyRelationshipsAndKeepsManualOnes() {
        ImportResult result = HasuraImport.convert(exportV3());

        Source source = result.metadata().source("default").orElseThrow();
        assertEquals(List.of("reviews"), List.copyOf(table(source, "author").relationships().keySet()), "author");
        assertEquals(List.of("editor", "stats"), List.copyOf(table(source, "article").relationships().keySet()),
                "article: the manual and the cross-source ones");
        String noCatalog = " needs the database's foreign keys to find the other side, and the import was given none";
        List<Unmapped> foreignKeyEntries = result.unmapped().stream().filter(u -> u.reason().contains("foreign key")).toList();
        assertEquals(List.of(
                new Unmapped("sources[default].tables[author].object_relationships[profile]", "object relationship 'profile'",
                        "foreign_key_constraint_on author_profile(author_id)" + noCatalog),
                new Unmapped("sources[default].tables[author].array_relationships[articles]", "array relationship 'articles'",
                        "foreign_key_constraint_on article(author_id)" + noCatalog),
                new Unmapped("sources[default].tables[article].object_relationships[author]", "object relationship 'author'",
                        "foreign_key_constraint_on article(author_id)" + noCatalog),
                new Unmapped("sources[default].tables[reviews.review].object_relationships[author]", "object relationship 'author'",
                        "foreign_key_constraint_on reviews.review(author_id)" + noCatalog)), foreignKeyEntries);
    }

    @Test
    void mapsCompositeForeignKeysBothWays() {
        ForeignKeys keys = (source, table, columns) -> Optional.of(new ForeignKey("line_order_fkey", table("shop.order"),
                Map.of("order_no", "no", "order_year", "year")));
        JsonNode export = json("""
                {"version": 3, "sources": [{"name": "default", "kind": "postgres", "tables": [
                  {"table": {"schema": "shop", "name": "line"},
                   "object_relationships": [{"name": "order", "using": {"foreign_key_constraint_on": ["order_year", "order_no"]}}]},
                  {"table": {"schema": "shop", "name": "order"},
                   "array_relationships": [{"name": "lines", "using": {"foreign_key_constraint_on":
                     {"table": {"schema": "shop", "name": "line"}, "columns": ["order_no", "order_year"]}}}]}]}]}
                """);

        Source source = HasuraImport.convert(export, keys).metadata().sources().getFirst();

        assertEquals(new Relationship("shop.order", null, Map.of("order_no", "no", "order_year", "year"), null, true),
                table(source, "shop.line").relationships().get("order"), "along its own foreign key: required where NOT NULL");
        assertEquals(Relationship.array("shop.line", Map.of("no", "order_no", "year", "order_year")),
                table(source, "shop.order").relationships().get("lines"));
    }

    @Test
    void listsAForeignKeyThatReferencesAnotherTable() {
        ForeignKeys keys = (source, table, columns) -> Optional.of(new ForeignKey("article_editor_fkey", table("editor"),
                Map.of("author_id", "id")));
        JsonNode export = json("""
                {"version": 3, "sources": [{"name": "default", "tables": [
                  {"table": "author", "array_relationships": [{"name": "articles",
                    "using": {"foreign_key_constraint_on": {"table": "article", "column": "author_id"}}}]}]}]}
                """);

        ImportResult result = HasuraImport.convert(export, keys);

        assertEquals(List.of(new Unmapped("sources[default].tables[author].array_relationships[articles]", "array relationship 'articles'",
                "the foreign key article_editor_fkey references editor, not author")), result.unmapped());
        assertTrue(table(result.metadata().sources().getFirst(), "author").relationships().isEmpty());
    }

    @Test
    void foreignKeysFromCatalogsNeedTheExactColumnsOfOneKeyInTheRightSource() {
        QualifiedName article = table("article");
        Source defaultSource = new Source("default", null, false, List.of());

        assertEquals(Optional.of("article_author_id_fkey"), FOREIGN_KEYS.find(defaultSource, article, List.of("author_id"))
                .map(ForeignKey::constraint));
        assertEquals(Optional.empty(), FOREIGN_KEYS.find(new Source("analytics", null, false, List.of()), article,
                List.of("author_id")), "other source");
        assertEquals(Optional.empty(), FOREIGN_KEYS.find(defaultSource, article, List.of("author_id", "id")), "other columns");
        assertEquals(Optional.empty(), FOREIGN_KEYS.find(defaultSource, table("missing"), List.of("author_id")), "unknown table");
    }

    @Test
    void readsEachCatalogOnceAndListsRelationshipsOfASourceItCannotRead() {
        List<Source> reads = new ArrayList<>();
        ForeignKeys keys = ForeignKeys.of(source -> {
            reads.add(source);
            throw new IllegalStateException("connection refused");
        });

        ImportResult result = HasuraImport.convert(exportV3(), keys);

        assertEquals(List.of(new Source("default", null, false, List.of())), reads, "one read, of the source without its tables");
        List<String> unreadable = result.unmapped().stream().filter(u -> u.reason().contains("could not be read")).map(Unmapped::path).toList();
        assertEquals(List.of("sources[default].tables[author].object_relationships[profile]",
                "sources[default].tables[author].array_relationships[articles]",
                "sources[default].tables[article].object_relationships[author]",
                "sources[default].tables[reviews.review].object_relationships[author]"), unreadable);
        assertEquals("the foreign keys of source 'default' could not be read: connection refused",
                result.unmapped().stream().filter(u -> u.reason().contains("could not be read")).findFirst().orElseThrow().reason());
    }

    @Test
    void mapsInsertUpdateAndDeletePermissionsWithJoinerySessionVariables() {
        JsonNode export = json("""
                {"version": 3, "sources": [{"name": "default", "tables": [{"table": "article",
                  "select_permissions": [{"role": "user", "permission": {"columns": "*", "filter": {}}}],
                  "insert_permissions": [{"role": "user", "comment": null, "permission": {
                    "check": {"author_id": {"_eq": "X-Hasura-User-Id"}}, "columns": ["title", "body"],
                    "set": {"author_id": "X-Hasura-User-Id", "published": false, "rating": 3}, "backend_only": false}},
                   {"role": "bot", "permission": {"check": {}, "columns": "*", "backend_only": true}}],
                  "update_permissions": [{"role": "user", "permission": {
                    "columns": ["title", "body"], "filter": {"_or": [{"author_id": {"_eq": "x-hasura-user-id"}}, {"editors": {"_contains": ["X-Hasura-User-Id"]}}]},
                    "check": {"published": {"_eq": false}}, "set": {"updated_by": "X-HASURA-USER-ID"}}},
                   {"role": "moderator", "permission": {"columns": ["published"], "filter": {}, "check": null,
                    "validate_input": {"type": "http", "definition": {"url": "https://hooks/validate"}}}}],
                  "delete_permissions": [{"role": "user", "permission": {"filter": {"author_id": {"_eq": "X-Hasura-User-Id"}}}},
                   {"role": "bot", "permission": {"filter": {}, "backend_only": true}}]}]}]}""");

        ImportResult result = HasuraImport.convert(export);

        assertEquals(MetadataCodec.toYaml(MetadataCodec.parse("""
                sources:
                  - name: default
                    tables:
                      - table: article
                        permissions:
                          user:
                            select: { columns: ["*"], filter: {} }
                            insert:
                              check: { author_id: { _eq: x-joinery-user-id } }
                              columns: [title, body]
                              set: { author_id: x-joinery-user-id, published: false, rating: 3 }
                            update:
                              columns: [title, body]
                              filter: { _or: [ { author_id: { _eq: x-joinery-user-id } }, { editors: { _contains: [x-joinery-user-id] } } ] }
                              check: { published: { _eq: false } }
                              set: { updated_by: x-joinery-user-id }
                            delete: { filter: { author_id: { _eq: x-joinery-user-id } } }
                          bot:
                            insert: { check: {}, columns: ["*"], backend_only: true }
                            delete: { filter: {}, backend_only: true }
                          moderator:
                            update: { columns: [published], filter: {} }
                """)), MetadataCodec.toYaml(result.metadata()));
        assertEquals(List.of(
                new Unmapped("sources[default].tables[article].update_permissions[moderator].permission.validate_input",
                        "input validation of the update permission of role 'moderator'",
                        "Joinery calls no input validation webhooks, so the role may write what the webhook would refuse in Hasura")),
                result.unmapped());
    }

    @Test
    void aPermissionThatDoesNotConvertIsListedAndTheRoleKeepsItsOtherOperations() {
        JsonNode export = json("""
                {"version": 3, "sources": [{"name": "default", "tables": [{"table": "article",
                  "select_permissions": [{"role": "user", "permission": {"columns": ["id"]}}],
                  "insert_permissions": [{"role": "user", "permission": {"columns": ["title"], "set": ["author_id"]}}],
                  "update_permissions": [{"role": "user", "permission": {"columns": ["title"], "filter": [1]}}],
                  "delete_permissions": [{"permission": {"filter": {}}}]}]}]}""");

        ImportResult result = HasuraImport.convert(export);

        assertEquals("""
                sources[default].tables[article].insert_permissions[user] | insert permission of role 'user' | expected set: {column: value}, got ["author_id"]
                sources[default].tables[article].update_permissions[user] | update permission of role 'user' | expected a boolean expression object, got [1]
                sources[default].tables[article].delete_permissions[0] | delete permission of role '0' | 'role' is missing""",
                result.unmapped().stream().map(u -> u.path() + " | " + u.what() + " | " + u.reason()).collect(Collectors.joining("\n")));
        RolePermissions user = result.metadata().sources().getFirst().tables().getFirst().permissions().get("user");
        assertEquals(new RolePermissions(new SelectPermission(List.of("id"), JsonNodeFactory.instance.objectNode(), null, false)), user);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            X-Hasura-User-Id              | x-joinery-user-id
            x-hasura-org-id               | x-joinery-org-id
            X-HASURA-ALLOWED-IDS          | x-joinery-allowed-ids
            x-hasura-                     | x-joinery-
            X-Hasura-Role-x-hasura-       | x-joinery-role-x-hasura-
            not x-hasura-user-id          | not x-hasura-user-id
            x-hasur-user-id               | x-hasur-user-id
            user_id                       | user_id
            """)
    void renamesSessionVariablesCaseInsensitively(String hasura, String joinery) {
        assertEquals(joinery, SessionVariables.rename(hasura));
    }

    @Test
    void renamesSessionVariablesInValuesOnly() {
        JsonNode filter = json("""
                {"_and": [{"x-hasura-user-id": {"_eq": "X-Hasura-User-Id"}}, {"id": {"_in": ["X-Hasura-A", 3, true, null]}}]}""");

        assertEquals(json("""
                {"_and": [{"x-hasura-user-id": {"_eq": "x-joinery-user-id"}}, {"id": {"_in": ["x-joinery-a", 3, true, null]}}]}"""),
                SessionVariables.rename(filter));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            default | {"from_env": "HASURA_GRAPHQL_DATABASE_URL"} |
            default | {"from_env": "PG_URL"}                      | {"from_env":"PG_URL"}
            other   | {"from_env": "HASURA_GRAPHQL_DATABASE_URL"} | {"from_env":"HASURA_GRAPHQL_DATABASE_URL"}
            default | "postgres://db:5432/app"                     | "postgres://db:5432/app"
            """)
    void theDefaultSourceOnHasurasOwnDatabaseIsTheSidecarsDatabase(String name, String databaseUrl, String expectedUrl) {
        JsonNode export = json("""
                {"version": 3, "sources": [{"name": "%s", "kind": "postgres", "tables": [],
                  "configuration": {"connection_info": {"database_url": %s}}}]}""".formatted(name, databaseUrl));

        ImportResult result = HasuraImport.convert(export);

        ValueFrom url = result.metadata().sources().getFirst().url();
        assertEquals(expectedUrl, url == null ? null : MetadataCodec.toTree(url).toString());
        assertEquals(List.of(), result.unmapped());
    }

    @Test
    void listsConnectionParametersAndKeepsTheSource() {
        JsonNode export = json("""
                {"version": 3, "sources": [{"name": "crm", "kind": "postgres", "tables": [{"table": "customer"}],
                  "configuration": {"connection_info": {"database_url": {"connection_parameters":
                    {"host": "crm-db", "port": 5432, "username": "app", "password": "secret", "database": "crm"}}}}}]}""");

        ImportResult result = HasuraImport.convert(export);

        assertNull(result.metadata().sources().getFirst().url());
        assertEquals(List.of(new Unmapped("sources[crm].configuration.connection_info.database_url", "database URL of source 'crm'",
                "Joinery takes a URL or {from_env: NAME}, not connection parameters")), result.unmapped());
    }

    @Test
    void readsAVersion2ExportAsTheDefaultSource() {
        JsonNode export = json("""
                {"version": 2,
                 "tables": [
                   {"table": "author",
                    "array_relationships": [{"name": "articles", "comment": null,
                      "using": {"manual_configuration": {"remote_table": "article", "column_mapping": {"id": "author_id"}}}}],
                    "remote_relationships": [{"name": "messages", "definition": {"remote_schema": "messages",
                      "hasura_fields": ["id"], "remote_field": {"messages": {"arguments": {"where": {"author_id": {"_eq": "$id"}}}}}}}],
                    "select_permissions": [{"role": "user", "comment": null, "permission":
                      {"columns": ["id"], "filter": {"id": {"_eq": "X-Hasura-User-Id"}}, "allow_aggregations": false}}],
                    "insert_permissions": [], "update_permissions": [], "delete_permissions": [], "event_triggers": []},
                   {"table": "article"}],
                 "functions": [],
                 "remote_schemas": [{"name": "messages", "comment": null,
                   "definition": {"url": null, "url_from_env": "MESSAGES_URL", "headers": [], "forward_client_headers": false}}]}""");

        ImportResult result = HasuraImport.convert(export);

        assertEquals(MetadataCodec.toYaml(MetadataCodec.parse("""
                sources:
                  - name: default
                    tables:
                      - table: author
                        relationships: { articles: { array: article, on: { id: author_id } } }
                        permissions: { user: { select: { columns: [id], filter: { id: { _eq: x-joinery-user-id } } } } }
                        remote_relationships:
                          messages:
                            remote_schema: messages
                            remote_field: { messages: { arguments: { where: { author_id: { _eq: $id } } } } }
                      - table: article
                remote_schemas:
                  - name: messages
                    url: { from_env: MESSAGES_URL }
                """)), MetadataCodec.toYaml(result.metadata()));
        assertEquals(List.of(), result.unmapped(), "nulls, false and empty lists say nothing");
        assertEquals(1, result.notes().size(), result.notes().toString());
        assertTrue(result.notes().getFirst().startsWith("remote schemas [messages] have no remote schema permissions")
                && result.notes().getFirst().contains("JOINERY_ENABLE_REMOTE_SCHEMA_PERMISSIONS=false"), result.notes().toString());
    }

    @Test
    void saysNothingOfRemoteSchemaPermissionsWhenTheExportHasSomeOrNoRemoteSchema() {
        JsonNode withPermission = json("""
                {"version": 3, "sources": [],
                 "remote_schemas": [
                   {"name": "a", "definition": {"url_from_env": "A_URL"}},
                   {"name": "b", "definition": {"url_from_env": "B_URL"},
                    "permissions": [{"role": "user", "definition": {"schema": "type Query { hello: String }"}}]}]}""");
        assertEquals(List.of(), HasuraImport.convert(withPermission).notes(), "permissions were on in that Hasura");
        assertEquals(List.of(), HasuraImport.convert(json("{\"version\": 3, \"sources\": []}")).notes());
    }

    @Test
    void unwrapsTheAnswerOfExportMetadataVersion2() {
        JsonNode answer = json("""
                {"resource_version": 12, "metadata": {"version": 3, "sources": [{"name": "default", "kind": "postgres",
                  "tables": [{"table": {"schema": "public", "name": "author"}}]}]}}""");

        Metadata metadata = HasuraImport.convert(answer).metadata();

        assertEquals(List.of("author"), metadata.sources().getFirst().tables().stream().map(TableConfig::table).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"metadata\"", "{\"version\": 4, \"sources\": []}", "{\"remote_schemas\": []}"})
    void refusesWhatIsNotAHasuraExport(String document) {
        MetadataException e = assertThrows(MetadataException.class, () -> HasuraImport.convert(json(document)));

        assertTrue(e.getMessage().contains("Hasura"), e.getMessage());
    }

    @Test
    void mapsAWholeUrlTemplateToAnEnvironmentVariableAndListsAPartialOne() {
        JsonNode export = json("""
                {"version": 3, "sources": [], "remote_schemas": [
                  {"name": "whole", "definition": {"url": "{{ WHOLE_URL }}"}},
                  {"name": "partial", "definition": {"url": "{{BASE_URL}}/graphql"}}]}""");

        ImportResult result = HasuraImport.convert(export);

        assertEquals(List.of("whole"), result.metadata().remoteSchemas().stream().map(r -> r.name()).toList());
        assertEquals(new ValueFrom(null, "WHOLE_URL"), result.metadata().remoteSchemas().getFirst().url());
        assertEquals(List.of("remote_schemas[partial] | remote schema 'partial'"),
                result.unmapped().stream().map(u -> u.path() + " | " + u.what()).toList());
        assertTrue(result.unmapped().getFirst().reason().contains("{{BASE_URL}}/graphql"), result.unmapped().getFirst().reason());
    }

    @Test
    void listsKeysItDoesNotKnowAndABrokenObjectButImportsTheRest() {
        JsonNode export = json("""
                {"version": 3, "future_feature": {"on": true}, "sources": [{"name": "default", "tables": [
                  {"table": {"schema": "public"}},
                  {"table": "author", "shiny_new_setting": [1],
                   "object_relationships": [
                     {"name": "broken", "using": {"manual_configuration": {"remote_table": "x", "column_mapping": {}}}},
                     {"using": {"manual_configuration": {"remote_table": "x", "column_mapping": {"a": "b"}}}}],
                   "select_permissions": [{"role": "user", "permission": {"columns": ["id"], "limit": -1}}]}]}]}""");

        ImportResult result = HasuraImport.convert(export);

        assertEquals("""
                sources[default].tables[0] | table | expected a table name or {schema, name}, got {"schema":"public"}
                sources[default].tables[author].object_relationships[broken] | object relationship 'broken' | a relationship needs 'on': {this_column: target_column}
                sources[default].tables[author].object_relationships[1] | object relationship '1' | 'name' is missing
                sources[default].tables[author].select_permissions[user] | select permission of role 'user' | a permission limit cannot be negative
                sources[default].tables[author].shiny_new_setting | setting 'shiny_new_setting' | the importer does not know this Hasura setting
                future_feature | setting 'future_feature' | the importer does not know this Hasura setting""",
                result.unmapped().stream().map(u -> u.path() + " | " + u.what() + " | " + u.reason()).collect(Collectors.joining("\n")));
        assertEquals(List.of("author"), result.metadata().sources().getFirst().tables().stream().map(TableConfig::table).toList());
    }

    @Test
    void customTypesBecomeOneDefinitionEachWithTheirDescriptions() {
        Metadata imported = HasuraImport.convert(exportV3(), FOREIGN_KEYS).metadata();

        assertEquals(List.of("ScalarTypeDefinition Email", "EnumTypeDefinition UserStatus", "InputObjectTypeDefinition UserInput",
                        "ObjectTypeDefinition UserOutput"),
                imported.customTypes().stream().map(CustomType::typeDefinition)
                        .map(definition -> definition.getClass().getSimpleName() + " " + definition.getName()).toList());
        ObjectTypeDefinition user = (ObjectTypeDefinition) imported.customType("UserOutput").orElseThrow().typeDefinition();
        assertEquals("A user, as the \"users\" service knows it", user.getDescription().getContent());
        assertEquals("null until confirmed", user.getFieldDefinitions().get(1).getDescription().getContent());
        EnumTypeDefinition status = (EnumTypeDefinition) imported.customType("UserStatus").orElseThrow().typeDefinition();
        assertEquals(List.of("BANNED"), status.getEnumValueDefinitions().stream().filter(v -> v.hasDirective("deprecated"))
                .map(EnumValueDefinition::getName).toList());
    }

    @Test
    void listsAnActionWithoutAJoineryHandlerAndABrokenTypeButImportsTheRest() {
        JsonNode export = json("""
                {"version": 3, "sources": [],
                 "actions": [
                   {"name": "a", "definition": {"handler": "{{BASE_URL}}/a", "output_type": "T", "type": "query"}},
                   {"name": "b", "definition": {"handler": "{{B_URL}}", "output_type": "T", "type": "query", "retries": 3},
                    "permissions": [{"role": "user"}]},
                   {"definition": {"handler": "http://h/c", "output_type": "T"}}],
                 "custom_types": {
                   "enums": [{"name": "E", "values": [{"description": "no value"}]}],
                   "objects": [{"name": "T", "fields": [{"name": "id", "type": "Int!"}],
                                "relationships": [{"name": "r", "type": "both", "remote_table": "t", "field_mapping": {"id": "id"}}]}],
                   "interfaces": [{"name": "I"}]}}
                """);

        ImportResult result = HasuraImport.convert(export);

        assertEquals(List.of(new Action("b", "query", null, "T", new ValueFrom(null, "B_URL"), null, false, null, List.of("user"), null)),
                result.metadata().actions());
        assertEquals(List.of(CustomType.of("type T { id: Int! }")), result.metadata().customTypes());
        assertEquals(List.of(
                "actions[a] | action 'a' | handler {{BASE_URL}}/a mixes an environment variable with text; Joinery reads a whole URL"
                        + " from one variable: set one to the full URL and write handler: {from_env: NAME}",
                "actions[b].definition.retries | setting 'retries' | the importer does not know this Hasura setting",
                "actions[2] | action '2' | 'name' is missing",
                "custom_types.enums[E] | custom enum 'E' | 'value' is missing",
                "custom_types.objects[T].relationships[r] | relationship 'r' | a relationship's type is object or array, not both",
                "custom_types.interfaces | setting 'interfaces' | the importer does not know this Hasura setting"),
                result.unmapped().stream().map(u -> u.path() + " | " + u.what() + " | " + u.reason()).toList());
    }

    /** Hasura reads {@code kind} only for a mutation: an asynchronous mutation stays asynchronous, a query is always synchronous. */
    @Test
    void keepsAsynchronousMutations() {
        JsonNode export = json("""
                {"version": 3, "sources": [],
                 "actions": [
                   {"name": "later", "definition": {"handler": "http://h.test", "output_type": "T", "kind": "asynchronous"}},
                   {"name": "now", "definition": {"handler": "http://h.test", "output_type": "T", "type": "mutation", "kind": "synchronous"}},
                   {"name": "read", "definition": {"handler": "http://h.test", "output_type": "T", "type": "query", "kind": "asynchronous"}}],
                 "custom_types": {"objects": [{"name": "T", "fields": [{"name": "id", "type": "Int!"}]}]}}
                """);

        ImportResult result = HasuraImport.convert(export);

        Map<String, Action> actions = result.metadata().actions().stream().collect(Collectors.toMap(Action::name, a -> a));
        assertEquals(true, actions.get("later").asynchronous());
        assertEquals("mutation", actions.get("later").operation());
        assertEquals(false, actions.get("now").asynchronous());
        assertEquals(false, actions.get("read").asynchronous());
        assertEquals(List.of(), result.unmapped());
    }

    @Test
    void takesActionTransformsAsTheyAreAndListsOneItCannotRead() {
        JsonNode export = json("""
                {"version": 3, "sources": [],
                 "actions": [
                   {"name": "getUser", "definition": {"handler": "http://users.test", "output_type": "T", "type": "query",
                     "request_transform": {"version": 2, "template_engine": "Kriti", "method": "GET",
                       "url": "{{$base_url}}/users/{{$body.input.id}}", "query_params": {"verbose": "true"},
                       "request_headers": {"add_headers": {}, "remove_headers": ["content-type"]}, "body": {"action": "remove"}},
                     "response_transform": {"version": 2, "template_engine": "Kriti",
                       "body": {"action": "transform", "template": "{\\"id\\": {{$body.user.id}}}"}}}},
                   {"name": "old", "definition": {"handler": "http://old.test", "output_type": "T",
                     "request_transform": {"template_engine": "Kriti", "content_type": "application/json", "body": "{{$body.input}}"}}},
                   {"name": "odd", "definition": {"handler": "http://odd.test", "output_type": "T",
                     "request_transform": {"version": 2, "template_engine": "Jinja", "method": "GET"}}}],
                 "custom_types": {"objects": [{"name": "T", "fields": [{"name": "id", "type": "Int!"}]}]}}
                """);

        ImportResult result = HasuraImport.convert(export);

        Map<String, Action> actions = result.metadata().actions().stream().collect(Collectors.toMap(Action::name, a -> a));
        RequestTransform getUser = actions.get("getUser").requestTransform();
        assertEquals("GET", getUser.method());
        assertEquals("{{$base_url}}/users/{{$body.input.id}}", getUser.url());
        assertEquals(Map.of("verbose", "true"), getUser.queryParams().params());
        assertEquals(List.of("content-type"), getUser.requestHeaders().removeHeaders());
        assertEquals(BodyTransform.REMOVE, getUser.body().action());
        assertEquals("{\"id\": {{$body.user.id}}}", actions.get("getUser").responseTransform().body().template());
        assertEquals(new RequestTransform(null, "Kriti", null, null, null, null,
                new BodyTransform(BodyTransform.TRANSFORM, "{{$body.input}}", null), "application/json"), actions.get("old").requestTransform());
        assertNull(actions.get("odd").requestTransform());
        assertEquals(List.of("actions[odd].definition.request_transform | request transform of action 'odd' | invalid metadata at $: "
                        + "a transform's template_engine is Kriti, not 'Jinja'; the action is imported without it"),
                result.unmapped().stream().map(u -> u.path() + " | " + u.what() + " | " + u.reason()).toList());
    }

    private static TableConfig table(Source source, String name) {
        return source.table(QualifiedName.parse(name)).orElseThrow(() -> new AssertionError("no table " + name));
    }

    private static QualifiedName table(String name) {
        return QualifiedName.parse(name);
    }

    private static TableInfo tableInfo(String name, ForeignKey... foreignKeys) {
        return new TableInfo(table(name), false, List.of(), List.of("id"), List.of(foreignKeys), null);
    }

    private static JsonNode exportV3() {
        return json(resource("export-v3.json"));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("bad JSON in test: " + text, e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = HasuraImportTest.class.getResourceAsStream("/hasura/" + name)) {
            if (in == null) {
                throw new AssertionError("missing test resource hasura/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
