package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.joinery.admin.http.AdminService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The published JSON Schema of the metadata document ({@code docs/metadata.schema.json}) against
 * what {@link MetadataCodec} reads, so that the two cannot drift: every record reachable from
 * {@link Metadata} is a definition with exactly its {@code @JsonProperty} names and matching types,
 * the metadata examples of the repository (README, docs, the demo, the integration tests' metadata,
 * whole documents or fragments) use only what the schema allows, documents the reader refuses the schema refuses too, and the
 * OpenAPI document of the admin API carries the same definitions.
 *
 * <p>The schema is checked by {@link SchemaWalker}, a small validator of the keywords the schema
 * uses (no validator library); a keyword it does not know fails the test rather than being skipped.
 */
class MetadataSchemaTest {

    static final Path ROOT = repositoryRoot();
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new YAMLMapper();
    static final JsonNode SCHEMA = readJson(ROOT.resolve("docs/metadata.schema.json"));
    static final JsonNode DEFINITIONS = SCHEMA.path("$defs");

    // ---- the schema against the records

    @Test
    void everyRecordOfTheDocumentIsADefinitionWithExactlyItsJsonProperties() {
        List<String> wrong = new ArrayList<>();
        for (Class<?> record : reachableRecords()) {
            JsonNode definition = DEFINITIONS.path(definitionName(record));
            if (definition.isMissingNode()) {
                wrong.add(record.getName() + " has no definition '" + definitionName(record) + "'");
                continue;
            }
            if (isValue(record)) {
                continue; // written as a scalar or a small object of its own, checked below
            }
            Set<String> names = jsonProperties(record, wrong).keySet();
            Set<String> documented = new TreeSet<>();
            definition.path("properties").fieldNames().forEachRemaining(documented::add);
            if (!new TreeSet<>(names).equals(documented)) {
                wrong.add(definitionName(record) + ": the record " + record.getSimpleName() + " reads " + new TreeSet<>(names)
                        + ", the schema documents " + documented);
            }
            boolean strict = record.getAnnotation(JsonIgnoreProperties.class) == null
                    || !record.getAnnotation(JsonIgnoreProperties.class).ignoreUnknown();
            if (strict != definition.path("additionalProperties").equals(JSON.getNodeFactory().booleanNode(false))) {
                wrong.add(definitionName(record) + ": additionalProperties must be false exactly when the reader refuses unknown keys ("
                        + strict + ")");
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyPropertySchemaHasTheTypeOfItsRecordComponent() {
        List<String> wrong = new ArrayList<>();
        for (Class<?> record : reachableRecords()) {
            if (isValue(record)) {
                continue;
            }
            JsonNode properties = DEFINITIONS.path(definitionName(record)).path("properties");
            jsonProperties(record, wrong).forEach((name, component) -> expectType(component.getGenericType(), properties.path(name),
                    definitionName(record) + "." + name, wrong));
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyDefinitionDescribesARecordOfTheDocument() {
        Set<String> records = new TreeSet<>(reachableRecords().stream().map(MetadataSchemaTest::definitionName).toList());
        Set<String> definitions = new TreeSet<>();
        DEFINITIONS.fieldNames().forEachRemaining(definitions::add);
        assertEquals(records, definitions, "the schema's $defs are the records reachable from Metadata, named without 'Config'");
        assertEquals("#/$defs/Metadata", SCHEMA.path("$ref").asText(), "the document is a Metadata");
        assertEquals("https://json-schema.org/draft/2020-12/schema", SCHEMA.path("$schema").asText());
    }

    /** {@link ValueFrom} is read from a string or {@code {from_env: NAME}} (its {@code @JsonCreator}), and so documented. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            "postgres://db/app"                   | true
            {"from_env": "DATABASE_URL"}          | true
            {"from_env": "A", "default": "b"}     | false
            {"env": "A"}                          | false
            {}                                    | false
            42                                    | false
            """)
    void valueFromIsAStringOrAnEnvironmentVariable(String value, boolean valid) throws IOException {
        JsonNode node = JSON.readTree(value);
        assertEquals(valid, accepts(() -> MetadataCodec.convert(node, ValueFrom.class)), "the reader on " + value);
        assertEquals(valid, SchemaWalker.errors(node, DEFINITIONS.path("ValueFrom")).isEmpty(), "the schema on " + value);
    }

    // ---- the schema against documents

    static Stream<Arguments> examples() {
        List<Arguments> examples = new ArrayList<>();
        for (String markdown : List.of("README.md", "docs/metadata.md")) {
            List<String> blocks = yamlBlocks(read(ROOT.resolve(markdown)));
            assertFalse(blocks.isEmpty(), markdown + " has metadata examples");
            for (int i = 0; i < blocks.size(); i++) {
                examples.add(Arguments.of(markdown + " example " + (i + 1), blocks.get(i)));
            }
        }
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("proxy/src/main/resources/demo/metadata.yaml")));
        try (Stream<Path> it = Files.list(ROOT.resolve("integration-tests/src/test/resources/it"))) {
            it.filter(file -> file.getFileName().toString().matches("metadata.*\\.yaml")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path file : files) {
            examples.add(Arguments.of(ROOT.relativize(file).toString(), read(file)));
        }
        return examples.stream();
    }

    /**
     * A whole document is checked against the schema, read, and written back; a fragment (such as
     * the {@code remote_relationships} of a table in the README) against the first definition that
     * has all its keys, which it must then satisfy.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void theRepositorysMetadataExamplesUseOnlyWhatTheSchemaAllows(String where, String yaml) throws IOException {
        JsonNode example = YAML.readTree(yaml);
        String definition = definitionOf(example, where);
        assertEquals(List.of(), SchemaWalker.errors(example, DEFINITIONS.path(definition)),
                where + " against " + definition + " of docs/metadata.schema.json");
        if (definition.equals("Metadata")) {
            Metadata metadata = MetadataCodec.parse(yaml);
            assertEquals(List.of(), SchemaWalker.errors(MetadataCodec.toTree(metadata), SCHEMA), where + " as MetadataCodec writes it back");
        }
    }

    /** {@code Metadata} for a whole document, else the first definition whose properties include every key of the fragment. */
    static String definitionOf(JsonNode example, String where) {
        assertTrue(example != null && example.isObject(), where + " is a YAML mapping");
        List<String> keys = new ArrayList<>();
        example.fieldNames().forEachRemaining(keys::add);
        List<String> candidates = new ArrayList<>(List.of("Metadata"));
        DEFINITIONS.fieldNames().forEachRemaining(candidates::add);
        return candidates.stream()
                .filter(name -> keys.stream().allMatch(DEFINITIONS.path(name).path("properties")::has))
                .findFirst()
                .orElseThrow(() -> new AssertionError(where + " uses keys " + keys + " that no definition of the schema has together"));
    }

    /** Each row is a document; the reader and the schema both take it or both refuse it. */
    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            an empty document                              | true  | version: 1
            every kind of object                           | true  | {sources: [{name: a, url: {from_env: A}, infer_relationships: true, tables: [{table: s.t, name: T, root_fields: {select: ts}, columns: {c: C}, relationships: {r: {object: u, source: b, on: {c: id}}}, permissions: {user: {select: {columns: ['*'], filter: {c: {_eq: 1}}, limit: 0, allow_aggregations: true}}}, remote_relationships: {p: {remote_schema: r, remote_field: {p: {arguments: {id: $c}, field: {q: {}}}}}}}]}], remote_schemas: [{name: r, url: http://r, headers: {H: v, K: {from_env: K}}, forward_client_headers: true, timeout_seconds: 1, batch_size: 1, customization: {root_fields_namespace: r, type_prefix: R_, type_suffix: _R}, relationships: {P: {t: {array: s.t, on: {id: c}}}}}]}
            a batch join with a fallback                   | true  | {sources: [{tables: [{table: t, remote_relationships: {p: {remote_schema: r, batch: {field: a.b, arguments: {ids: $id}, key: {id: id}, array: true}, remote_field: {p: {}}}}}]}]}
            a batch join through a path object             | true  | {sources: [{tables: [{table: t, remote_relationships: {p: {remote_schema: r, batch: {field: {a: {arguments: {x: 1}, field: {b: {arguments: {ids: $id}}}}}, key: {id: id}}}}}]}]}
            a federation join                              | true  | {sources: [{tables: [{table: t, remote_relationships: {p: {remote_schema: r, federation: {type: P, key: {id: id}}}}}]}]}
            an unknown key at the top                      | false | {version: 1, sourcez: []}
            another format version                         | false | version: 2
            an unknown key of a source                     | false | {sources: [{database: x}]}
            an unknown key of a table                      | false | {sources: [{tables: [{table: t, permission: {}}]}]}
            an enum table                                  | true  | {sources: [{tables: [{table: t, is_enum: true}, {table: u, is_enum: false}]}]}
            an is_enum that is not a boolean               | false | {sources: [{tables: [{table: t, is_enum: {}}]}]}
            a table without its name                       | false | {sources: [{tables: [{name: T}]}]}
            an unknown root field                          | false | {sources: [{tables: [{table: t, root_fields: {select_stream: x}}]}]}
            a relationship both object and array           | false | {sources: [{tables: [{table: t, relationships: {r: {object: a, array: a, on: {a: b}}}}]}]}
            a relationship with no target                  | false | {sources: [{tables: [{table: t, relationships: {r: {on: {a: b}}}}]}]}
            a relationship without on                      | false | {sources: [{tables: [{table: t, relationships: {r: {object: a}}}]}]}
            a relationship with empty on                   | false | {sources: [{tables: [{table: t, relationships: {r: {object: a, on: {}}}}]}]}
            an unknown key of a relationship               | false | {sources: [{tables: [{table: t, relationships: {r: {object: a, on: {a: b}, type: x}}}]}]}
            permissions of every operation                 | true  | {sources: [{tables: [{table: t, permissions: {user: {select: {}, insert: {check: {c: {_eq: X-Joinery-User-Id}}, columns: ['*'], set: {c: X-Joinery-User-Id, d: 1, e: null}, backend_only: true}, update: {columns: [c], filter: {}, check: {c: {_gt: 0}}, set: {d: x}, backend_only: true}, delete: {filter: {c: {_eq: 1}}, backend_only: true}}}}]}]}
            a role with no operation                       | true  | {sources: [{tables: [{table: t, permissions: {user: {}}}]}]}
            an operation Hasura does not have              | false | {sources: [{tables: [{table: t, permissions: {user: {upsert: {}}}}]}]}
            an unknown key of an insert permission         | false | {sources: [{tables: [{table: t, permissions: {user: {insert: {filter: {}}}}}]}]}
            an insert check that is not an object          | false | {sources: [{tables: [{table: t, permissions: {user: {insert: {check: [1]}}}}]}]}
            insert presets that are not an object          | false | {sources: [{tables: [{table: t, permissions: {user: {insert: {set: [c]}}}}]}]}
            an unknown key of an update permission         | false | {sources: [{tables: [{table: t, permissions: {user: {update: {columns_of: [c]}}}}]}]}
            an unknown key of a delete permission          | false | {sources: [{tables: [{table: t, permissions: {user: {delete: {columns: [c]}}}}]}]}
            a negative limit                               | false | {sources: [{tables: [{table: t, permissions: {user: {select: {limit: -1}}}}]}]}
            an unknown key of a select permission          | false | {sources: [{tables: [{table: t, permissions: {user: {select: {rows: 1}}}}]}]}
            a remote relationship without a remote         | false | {sources: [{tables: [{table: t, remote_relationships: {p: {remote_field: {p: {}}}}}]}]}
            a remote relationship without a form           | false | {sources: [{tables: [{table: t, remote_relationships: {p: {remote_schema: r}}}]}]}
            a remote field of two fields                   | false | {sources: [{tables: [{table: t, remote_relationships: {p: {remote_schema: r, remote_field: {a: {}, b: {}}}}}]}]}
            a nested remote field of two fields            | false | {sources: [{tables: [{table: t, remote_relationships: {p: {remote_schema: r, remote_field: {a: {field: {b: {}, c: {}}}}}}}]}]}
            an unknown key of a remote field               | false | {sources: [{tables: [{table: t, remote_relationships: {p: {remote_schema: r, remote_field: {a: {argument: {}}}}}}]}]}
            both batch and federation                      | false | {sources: [{tables: [{table: t, remote_relationships: {p: {remote_schema: r, batch: {field: a, key: {i: i}}, federation: {type: P, key: {i: i}}}}}]}]}
            both remote_field and federation               | false | {sources: [{tables: [{table: t, remote_relationships: {p: {remote_schema: r, remote_field: {p: {}}, federation: {type: P, key: {i: i}}}}}]}]}
            a batch without key                            | false | {sources: [{tables: [{table: t, remote_relationships: {p: {remote_schema: r, batch: {field: a}}}}]}]}
            a batch with an empty path step                | false | {sources: [{tables: [{table: t, remote_relationships: {p: {remote_schema: r, batch: {field: a..b, key: {i: i}}}}}]}]}
            a batch path object with arguments beside      | false | {sources: [{tables: [{table: t, remote_relationships: {p: {remote_schema: r, batch: {field: {a: {}}, arguments: {x: 1}, key: {i: i}}}}}]}]}
            batch arguments that are not an object         | false | {sources: [{tables: [{table: t, remote_relationships: {p: {remote_schema: r, batch: {field: a, arguments: [1], key: {i: i}}}}}]}]}
            an unknown key of a batch                      | false | {sources: [{tables: [{table: t, remote_relationships: {p: {remote_schema: r, batch: {field: a, key: {i: i}, keys: {}}}}}]}]}
            a federation without type                      | false | {sources: [{tables: [{table: t, remote_relationships: {p: {remote_schema: r, federation: {key: {i: i}}}}}]}]}
            a federation with an empty key                 | false | {sources: [{tables: [{table: t, remote_relationships: {p: {remote_schema: r, federation: {type: P, key: {}}}}}]}]}
            a remote schema without url                    | false | {remote_schemas: [{name: r}]}
            a remote schema without name                   | false | {remote_schemas: [{url: http://r}]}
            an unknown key of a remote schema              | false | {remote_schemas: [{name: r, url: http://r, timeout: 5}]}
            a timeout of zero                              | false | {remote_schemas: [{name: r, url: http://r, timeout_seconds: 0}]}
            a batch size of zero                           | false | {remote_schemas: [{name: r, url: http://r, batch_size: 0}]}
            an unknown customization                       | false | {remote_schemas: [{name: r, url: http://r, customization: {prefix: R_}}]}
            a url from_env with another key                | false | {remote_schemas: [{name: r, url: {from_env: U, value: x}}]}
            an unknown key of a remote type relationship   | false | {remote_schemas: [{name: r, url: http://r, relationships: {P: {a: {object: a, on: {x: y}, remote: true}}}}]}
            remote type relationships to remote schemas    | true  | {remote_schemas: [{name: r, url: http://r, relationships: {P: {t: {object: t, on: {id: c}}, a: {remote_schema: s, remote_field: {a: {arguments: {id: $accountId}}}}, b: {remote_schema: r, batch: {field: bs, arguments: {ids: $id}, key: {id: id}, array: true}}, f: {remote_schema: s, federation: {type: A, key: {id: accountId}}}}}}, {name: s, url: http://s}]}
            a remote type relationship of both shapes      | false | {remote_schemas: [{name: r, url: http://r, relationships: {P: {a: {remote_schema: s, remote_field: {a: {}}, on: {x: y}}}}}]}
            a remote type relationship without a form      | false | {remote_schemas: [{name: r, url: http://r, relationships: {P: {a: {remote_schema: s}}}}]}
            an unknown key of a remote type remote join    | false | {remote_schemas: [{name: r, url: http://r, relationships: {P: {a: {remote_schema: s, federation: {type: A, key: {id: id}}, lhs_fields: [id]}}}}]}
            a remote type relationship that is not a map   | false | {remote_schemas: [{name: r, url: http://r, relationships: {P: {a: [object, t]}}}]}
            actions and custom types                       | true  | {custom_types: [{definition: scalar E}, {definition: 'type T { a: Int }', relationships: {t: {object: t, on: {a: id}}}}], actions: [{name: a, kind: query, arguments: {x: E}, output: T, handler: {from_env: U}, headers: {H: v}, forward_client_headers: true, timeout_seconds: 1, roles: [user], comment: c}]}
            an action without name                         | false | {actions: [{output: T, handler: http://h}]}
            an action without output                       | false | {actions: [{name: a, handler: http://h}]}
            an action without handler                      | false | {actions: [{name: a, output: T}]}
            an action of another kind                      | false | {actions: [{name: a, kind: subscription, output: T, handler: http://h}]}
            an action with an untyped argument             | false | {actions: [{name: a, arguments: {x: ''}, output: T, handler: http://h}]}
            an unknown key of an action                    | false | {actions: [{name: a, output: T, handler: http://h, type: mutation}]}
            a handler from_env with another key            | false | {actions: [{name: a, output: T, handler: {from_env: U, value: x}}]}
            an action with transforms of version 2         | true  | {actions: [{name: a, output: T, handler: http://h, request_transform: {version: 2, template_engine: Kriti, method: GET, url: '{{$base_url}}/a', query_params: {q: '{{$body.input.q}}', f: null}, request_headers: {add_headers: {X-A: b}, remove_headers: [content-type]}, body: {action: remove}}, response_transform: {version: 2, body: {action: transform, template: '{{$body}}'}}}]}
            an action with transforms of version 1         | true  | {actions: [{name: a, output: T, handler: http://h, request_transform: {body: '{"a": 1}', content_type: application/x-www-form-urlencoded, query_params: 'a=1'}, response_transform: {body: '{{$body}}'}}]}
            a form body                                    | true  | {actions: [{name: a, output: T, handler: http://h, request_transform: {body: {action: x_www_form_urlencoded, form_template: {a: '{{$body.input.a}}'}}}}]}
            a transform of version 3                       | false | {actions: [{name: a, output: T, handler: http://h, request_transform: {version: 3}}]}
            another template engine                        | false | {actions: [{name: a, output: T, handler: http://h, response_transform: {template_engine: Go}}]}
            an unknown key of a request transform          | false | {actions: [{name: a, output: T, handler: http://h, request_transform: {headers: {}}}]}
            an unknown body action                         | false | {actions: [{name: a, output: T, handler: http://h, request_transform: {body: {action: replace, template: x}}}]}
            a form body without its form                   | false | {actions: [{name: a, output: T, handler: http://h, request_transform: {body: {action: x_www_form_urlencoded}}}]}
            a transform body without its template          | false | {actions: [{name: a, output: T, handler: http://h, request_transform: {body: {action: transform}}}]}
            a query parameter that is a number             | false | {actions: [{name: a, output: T, handler: http://h, request_transform: {query_params: {a: 1}}}]}
            a method that is a template                    | false | {actions: [{name: a, output: T, handler: http://h, request_transform: {method: '{{$body.m}}'}}]}
            an unknown key of the request headers          | false | {actions: [{name: a, output: T, handler: http://h, request_transform: {request_headers: {add: {}}}}]}
            a custom type without definition               | false | {custom_types: [{relationships: {}}]}
            an unknown key of a custom type                | false | {custom_types: [{definition: scalar E, name: E}]}
            an unknown key of a custom type relationship   | false | {custom_types: [{definition: 'type T { a: Int }', relationships: {t: {object: t, on: {a: id}, field: a}}}]}
            """)
    void theReaderAndTheSchemaAgree(String what, boolean valid, String yaml) throws IOException {
        JsonNode document = YAML.readTree(yaml);
        String json = JSON.writeValueAsString(document); // parse() reads text starting with '{' as JSON
        assertEquals(valid, accepts(() -> MetadataCodec.parse(json)), what + ": MetadataCodec " + (valid ? "takes" : "refuses") + " " + json);
        List<String> errors = SchemaWalker.errors(document, SCHEMA);
        assertEquals(valid, errors.isEmpty(), what + ": the schema " + (valid ? "takes" : "refuses") + " " + yaml + "; " + errors);
    }

    // ---- the OpenAPI document of the admin API

    @Test
    void theAdminApisOpenApiDocumentCarriesTheSameDefinitions() throws IOException {
        JsonNode components = JSON.readTree(AdminService.openapi()).path("components").path("schemas");
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, JsonNode> definition : DEFINITIONS.properties()) {
            JsonNode expected = JSON.readTree(JSON.writeValueAsString(definition.getValue()).replace("#/$defs/", "#/components/schemas/"));
            if (!expected.equals(components.path(definition.getKey()))) {
                wrong.add(definition.getKey());
            }
        }
        assertEquals(List.of(), wrong, "components/schemas of openapi.json that are not the definitions of docs/metadata.schema.json"
                + " (with $refs into components/schemas)");
    }

    // ---- records

    /** Every record a document is made of, from {@link Metadata} down through the component types. */
    static Set<Class<?>> reachableRecords() {
        Set<Class<?>> found = new LinkedHashSet<>();
        Deque<Type> pending = new ArrayDeque<>(List.of(Metadata.class));
        while (!pending.isEmpty()) {
            Type type = pending.pop();
            if (type instanceof ParameterizedType parameterized) {
                pending.addAll(Arrays.asList(parameterized.getActualTypeArguments()));
            } else if (type instanceof Class<?> c && c.isRecord() && found.add(c)) {
                for (RecordComponent component : c.getRecordComponents()) {
                    pending.add(component.getGenericType());
                }
            }
        }
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        found.forEach(record -> {
            Class<?> other = byName.put(definitionName(record), record);
            assertTrue(other == null, record + " and " + other + " would have the same definition name");
        });
        return found;
    }

    /** {@code TableConfig} is {@code Table}, {@code RemoteSchemaConfig} is {@code RemoteSchema}; others keep their names. */
    static String definitionName(Class<?> record) {
        return record.getSimpleName().replaceFirst("Config$", "");
    }

    /** A record written as a value of its own ({@code @JsonValue}), such as {@link ValueFrom}, rather than as its components. */
    static boolean isValue(Class<?> record) {
        return Arrays.stream(record.getDeclaredMethods()).anyMatch(m -> m.isAnnotationPresent(JsonValue.class));
    }

    /** JSON name → component, from the {@code @JsonProperty} each component must carry. */
    static Map<String, RecordComponent> jsonProperties(Class<?> record, List<String> wrong) {
        Map<String, RecordComponent> properties = new LinkedHashMap<>();
        for (RecordComponent component : record.getRecordComponents()) {
            JsonProperty property = jsonProperty(record, component);
            if (property == null || property.value().isEmpty()) {
                wrong.add(record.getSimpleName() + "." + component.getName() + " has no @JsonProperty naming its key");
                continue;
            }
            properties.put(property.value(), component);
        }
        return properties;
    }

    private static JsonProperty jsonProperty(Class<?> record, RecordComponent component) {
        try {
            Field field = record.getDeclaredField(component.getName());
            if (field.isAnnotationPresent(JsonProperty.class)) {
                return field.getAnnotation(JsonProperty.class);
            }
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
        Method accessor = component.getAccessor();
        return accessor.getAnnotation(JsonProperty.class);
    }

    /** Compares the schema of one value with the Java type it is read into. */
    static void expectType(Type type, JsonNode schema, String where, List<String> wrong) {
        if (schema.isMissingNode()) {
            wrong.add(where + ": no schema");
            return;
        }
        switch (type) {
            case ParameterizedType p when p.getRawType() == List.class -> {
                expectKeyword(schema, "type", "array", where, wrong);
                expectType(p.getActualTypeArguments()[0], schema.path("items"), where + "[]", wrong);
            }
            case ParameterizedType p when p.getRawType() == Map.class -> {
                expectKeyword(schema, "type", "object", where, wrong);
                expectType(p.getActualTypeArguments()[1], schema.path("additionalProperties"), where + ".*", wrong);
            }
            case Class<?> c when c.isRecord() -> expectKeyword(schema, "$ref", "#/$defs/" + definitionName(c), where, wrong);
            case Class<?> c when c == String.class -> expectKeyword(schema, "type", "string", where, wrong);
            case Class<?> c when c == boolean.class || c == Boolean.class -> expectKeyword(schema, "type", "boolean", where, wrong);
            case Class<?> c when c == int.class || c == Integer.class || c == long.class || c == Long.class ->
                    expectKeyword(schema, "type", "integer", where, wrong);
            case Class<?> c when JsonNode.class.isAssignableFrom(c) -> {
                // any JSON; the record's constructor says which shapes it takes, the reader-agreement cases cover them
            }
            default -> wrong.add(where + ": no rule for Java type " + type.getTypeName() + " in this test");
        }
    }

    private static void expectKeyword(JsonNode schema, String keyword, String value, String where, List<String> wrong) {
        if (!schema.path(keyword).asText().equals(value)) {
            wrong.add(where + ": expected " + keyword + " " + value + ", the schema has " + schema);
        }
    }

    // ---- plumbing

    static boolean accepts(Runnable read) {
        try {
            read.run();
            return true;
        } catch (MetadataException e) {
            return false;
        }
    }

    /** The {@code ```yaml} blocks of a page: metadata examples. Other YAML (a CI step, say) is fenced {@code ```yml}. */
    static List<String> yamlBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }

    /** The directory holding {@code mvnw} and {@code docs}: the tests run in a module's directory. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("docs"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (with mvnw and docs/) above " + Path.of("").toAbsolutePath());
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks a JSON tree against a schema of this file's dialect: the JSON Schema 2020-12 keywords
     * below, {@code $ref} only into the same document. Annotations are ignored; any other keyword is
     * a failure, so that the schema cannot rely on a rule this check skips.
     */
    static final class SchemaWalker {

        static final Set<String> ANNOTATIONS = Set.of("$schema", "$defs", "title", "description", "default", "examples", "$comment");
        static final Set<String> ASSERTIONS = Set.of("$ref", "type", "const", "properties", "additionalProperties", "required",
                "items", "oneOf", "anyOf", "not", "minProperties", "maxProperties", "minimum", "minLength", "pattern");

        private final JsonNode root;
        private final List<String> errors = new ArrayList<>();

        private SchemaWalker(JsonNode root) {
            this.root = root;
        }

        /** What is wrong with {@code node} under {@code schema} (whose {@code $ref}s point into the published schema); empty: valid. */
        static List<String> errors(JsonNode node, JsonNode schema) {
            SchemaWalker walker = new SchemaWalker(SCHEMA);
            walker.walk(node, schema, "$");
            return walker.errors;
        }

        private boolean valid(JsonNode node, JsonNode schema, String path) {
            SchemaWalker nested = new SchemaWalker(root);
            nested.walk(node, schema, path);
            return nested.errors.isEmpty();
        }

        private void walk(JsonNode node, JsonNode schema, String path) {
            schema.fieldNames().forEachRemaining(keyword -> {
                if (!ANNOTATIONS.contains(keyword) && !ASSERTIONS.contains(keyword)) {
                    fail("the schema uses keyword '" + keyword + "', which this test does not check (at " + schema + ")");
                }
            });
            if (schema.has("$ref")) {
                String ref = schema.get("$ref").asText();
                JsonNode target = root.at(ref.substring(1));
                assertNotNull(target, ref);
                assertFalse(target.isMissingNode(), "dangling $ref " + ref);
                walk(node, target, path);
            }
            if (schema.has("type") && !hasType(node, schema.get("type").asText())) {
                errors.add(path + ": expected " + schema.get("type").asText() + ", got " + node);
                return;
            }
            if (schema.has("const") && !schema.get("const").equals(node)) {
                errors.add(path + ": expected " + schema.get("const") + ", got " + node);
            }
            if (node.isObject()) {
                object((ObjectNode) node, schema, path);
            }
            if (node.isArray() && schema.has("items")) {
                for (int i = 0; i < node.size(); i++) {
                    walk(node.get(i), schema.get("items"), path + "[" + i + "]");
                }
            }
            if (node.isNumber() && schema.has("minimum") && node.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0) {
                errors.add(path + ": " + node + " is less than " + schema.get("minimum"));
            }
            if (node.isTextual() && schema.has("minLength") && node.textValue().codePointCount(0, node.textValue().length()) < schema.get("minLength").asInt()) {
                errors.add(path + ": '" + node.textValue() + "' is shorter than " + schema.get("minLength"));
            }
            if (node.isTextual() && schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(node.textValue()).find()) {
                errors.add(path + ": '" + node.textValue() + "' does not match " + schema.get("pattern").asText());
            }
            combinators(node, schema, path);
        }

        private void object(ObjectNode node, JsonNode schema, String path) {
            JsonNode properties = schema.path("properties");
            node.properties().forEach(entry -> {
                String at = path + "." + entry.getKey();
                if (properties.has(entry.getKey())) {
                    walk(entry.getValue(), properties.get(entry.getKey()), at);
                } else if (schema.path("additionalProperties").isObject()) {
                    walk(entry.getValue(), schema.get("additionalProperties"), at);
                } else if (schema.path("additionalProperties").isBoolean() && !schema.get("additionalProperties").asBoolean()) {
                    errors.add(at + ": unknown key '" + entry.getKey() + "' (allowed: " + iterate(properties) + ")");
                }
            });
            schema.path("required").forEach(name -> {
                if (!node.has(name.asText())) {
                    errors.add(path + ": needs '" + name.asText() + "'");
                }
            });
            if (schema.has("minProperties") && node.size() < schema.get("minProperties").asInt()) {
                errors.add(path + ": needs at least " + schema.get("minProperties") + " entries");
            }
            if (schema.has("maxProperties") && node.size() > schema.get("maxProperties").asInt()) {
                errors.add(path + ": takes at most " + schema.get("maxProperties") + " entries");
            }
        }

        private void combinators(JsonNode node, JsonNode schema, String path) {
            if (schema.has("oneOf")) {
                long matching = stream(schema.get("oneOf")).filter(branch -> valid(node, branch, path)).count();
                if (matching != 1) {
                    errors.add(path + ": matches " + matching + " of the alternatives " + schema.get("oneOf") + ", not exactly one");
                }
            }
            if (schema.has("anyOf") && stream(schema.get("anyOf")).noneMatch(branch -> valid(node, branch, path))) {
                errors.add(path + ": matches none of " + schema.get("anyOf"));
            }
            if (schema.has("not") && valid(node, schema.get("not"), path)) {
                errors.add(path + ": must not match " + schema.get("not"));
            }
        }

        private static boolean hasType(JsonNode node, String type) {
            return switch (type) {
                case "object" -> node.isObject();
                case "array" -> node.isArray();
                case "string" -> node.isTextual();
                case "integer" -> node.isIntegralNumber();
                case "number" -> node.isNumber();
                case "boolean" -> node.isBoolean();
                case "null" -> node.isNull();
                default -> throw new AssertionError("unknown type " + type);
            };
        }

        private static Stream<JsonNode> stream(JsonNode array) {
            List<JsonNode> list = new ArrayList<>();
            array.forEach(list::add);
            return list.stream();
        }

        private static List<String> iterate(JsonNode properties) {
            List<String> names = new ArrayList<>();
            properties.fieldNames().forEachRemaining(names::add);
            return names;
        }
    }
}
