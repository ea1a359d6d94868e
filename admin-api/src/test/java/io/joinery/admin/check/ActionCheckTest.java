package io.joinery.admin.check;

import io.joinery.admin.metadata.Action;
import io.joinery.admin.metadata.CustomType;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.joinery.admin.check.Fixtures.AUTHOR;
import static io.joinery.admin.check.Fixtures.BLOG;
import static io.joinery.admin.check.Fixtures.articleWith;
import static io.joinery.admin.check.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The consistency checks of actions and custom types, over the blog catalog of {@link Fixtures}. */
class ActionCheckTest {

    private final ConsistencyChecker checker = new ConsistencyChecker(source -> BLOG, List.of());

    /** author and article tracked, with the given custom types and actions. */
    private static Metadata document(List<CustomType> types, Action... actions) {
        return new Metadata(1, List.of(new Source("default", null, false, List.of(AUTHOR, articleWith(Map.of())))), List.of(),
                types, List.of(actions));
    }

    private static List<CustomType> types(String... definitions) {
        return Arrays.stream(definitions).map(CustomType::of).toList();
    }

    private static Action action(String json) {
        return MetadataCodec.convert(json(json), Action.class);
    }

    /** Each problem as {@code object: dependency: reason}. */
    private List<String> problems(Metadata metadata) {
        return checker.check(metadata).problems().stream().map(Problem::message).toList();
    }

    @Test
    void aConsistentDocumentHasNoProblems() {
        List<CustomType> types = new ArrayList<>(types(
                "scalar Email",
                "\"where an order stands\" enum OrderStatus { NEW PAID SHIPPED }",
                """
                        input OrderInput {
                          item_id: Int!
                          quantity: Int! = 1
                          email: Email
                          tags: [uuid!]
                          placed_at: timestamptz
                        }
                        """));
        types.add(new CustomType("type OrderResult { order_id: bigint!, status: OrderStatus!, author_id: Int, extra: jsonb }",
                Map.of("author", Relationship.object("author", Map.of("author_id", "id")),
                        "articles", Relationship.array("article", Map.of("author_id", "author_id")))));
        Metadata metadata = document(types,
                action("""
                        {"name": "createOrder", "arguments": {"input": "OrderInput!", "status": "[OrderStatus!]"}, "output": "OrderResult",
                         "handler": "https://orders.internal/create", "roles": ["user", "shop-admin_2"], "timeout_seconds": 5}"""),
                action("{\"name\": \"orders\", \"kind\": \"query\", \"output\": \"[OrderResult!]!\", \"handler\": {\"from_env\": \"ORDERS_URL\"}}"),
                action("{\"name\": \"ping\", \"kind\": \"query\", \"output\": \"String!\", \"handler\": \"http://127.0.0.1:9000/ping\"}"));
        assertEquals(List.of(), problems(metadata));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiterString = ";;", quoteCharacter = '~', textBlock = """
            type A {                                  ;; custom type #1: definition: it does not parse: Invalid syntax with offending token '<EOF>' at line 1 column 9
            ~~                                        ;; custom type #1: definition: it is empty; a custom type is one definition such as 'scalar Email'
            ~# only a comment~                        ;; custom type #1: definition: it is empty; a custom type is one definition such as 'scalar Email'
            scalar A scalar B                         ;; custom type #1: definition: it holds 2 definitions; a custom type is exactly one
            interface Node { id: ID! }                ;; custom type Node: definition: it is an interface; a custom type is a scalar, enum, input or type (object) definition
            union U = Out | Out                       ;; custom type U: definition: it is a union; a custom type is a scalar, enum, input or type (object) definition
            directive @cached on FIELD                ;; custom type cached: definition: it is a directive definition; a custom type is a scalar, enum, input or type (object) definition
            schema { query: Out }                     ;; custom type #1: definition: it is a schema definition; a custom type is a scalar, enum, input or type (object) definition
            extend type Other { b: Int }              ;; custom type Other: definition: it extends a type ('extend'); a custom type is a whole definition
            query { a }                               ;; custom type #1: definition: it is not a type definition; a custom type is a scalar, enum, input or type (object) definition
            scalar __Secret                           ;; custom type __Secret: name __Secret: names starting with __ are reserved for GraphQL introspection
            enum Int { ONE }                          ;; custom type Int: name Int: it is the name of a built-in scalar
            scalar ID                                 ;; custom type ID: name ID: it is the name of a built-in scalar
            input I { a: Nope }                       ;; custom type I: type Nope: no such type: not a built-in or Postgres scalar, nor a custom type (field a)
            input I { a: [Out!] }                     ;; custom type I: type Out: an input type's fields take input types (scalars, enums, inputs), and Out is an object type (field a)
            type O { a: In }                          ;; custom type O: type In: an object type's fields take output types (scalars, enums, object types), and In is an input type (field a)
            type O { a(x: Int): Int }                 ;; custom type O: field a: a custom object type's fields take no arguments
            type O implements Node { a: Int }         ;; custom type O: definition: a custom type implements no interfaces
            enum E                                    ;; custom type E: definition: an enum needs at least one value
            input I                                   ;; custom type I: definition: an input type needs at least one field
            type O                                    ;; custom type O: definition: an object type needs at least one field
            input I { a: [uuid!]!, b: timestamptz, c: jsonb, d: Status, e: In }    ;;
            type O { a: [bigint!]!, b: numeric, c: Status, d: Out, e: Email }       ;;
            """)
    void aDefinitionIsOneScalarEnumInputOrObjectTypeOfKnownTypes(String definition, String expected) {
        List<CustomType> types = new ArrayList<>(types(definition == null ? "" : definition));
        types.addAll(types("type Out { a: Int }", "input In { a: Int }", "enum Status { NEW }", "scalar Email"));
        assertEquals(expected == null ? List.of() : List.of(expected), problems(document(types)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiterString = ";;", textBlock = """
            author  ;; {"object": "author", "on": {"author_id": "id"}}                    ;;
            posts   ;; {"array": "article", "on": {"author_id": "author_id", "label": "title"}} ;;
            author  ;; {"object": "author", "on": {"authr": "id"}}                        ;; field OrderResult.authr: the type has no such field
            author  ;; {"object": "author", "on": {"tags": "id"}}                         ;; field OrderResult.tags: a join field is a scalar, and this one is of type [Int]
            author  ;; {"object": "author", "on": {"status": "id"}}                       ;; field OrderResult.status: a join field is a scalar, and this one is of type Status!
            author  ;; {"object": "nope", "on": {"author_id": "id"}}                      ;; table nope: the target table is not tracked
            tag     ;; {"object": "tag", "on": {"account": "id"}}                         ;; table tag: the target table is not tracked
            author  ;; {"object": "author", "on": {"author_id": "ident"}}                 ;; column author.ident: the column does not exist
            author  ;; {"object": "author", "on": {"account": "id"}}                      ;; column author.id: its type int4 cannot be compared with OrderResult.account of type uuid
            author  ;; {"object": "author", "on": {"nothing": "id"}}                      ;; column author.id: its type int4 cannot be compared with OrderResult.nothing of type Boolean
            author  ;; {"object": "author", "on": {"label": "profile"}}                   ;; column author.profile: its type jsonb cannot be compared with OrderResult.label of type String
            author  ;; {"object": "author", "on": {"account": "account"}}                 ;;
            author  ;; {"object": "author", "source": "elsewhere", "on": {"author_id": "id"}} ;; source elsewhere: the target source is unknown or unreachable
            label   ;; {"object": "author", "on": {"author_id": "id"}}                    ;; field OrderResult.label: the relationship has the same name as a field of its type
            """)
    void aCustomTypesRelationshipJoinsItsScalarFieldsToColumnsOfATrackedTable(String name, String relationship, String expected) {
        Relationship definition = MetadataCodec.convert(json(relationship), Relationship.class);
        List<CustomType> types = new ArrayList<>(types("enum Status { NEW }"));
        types.add(new CustomType("type OrderResult { order_id: Int!, author_id: Int, label: String, tags: [Int], status: Status!,"
                + " account: uuid, nothing: Boolean }", Map.of(name, definition)));
        assertEquals(expected == null ? List.of() : List.of("custom type OrderResult, relationship " + name + ": " + expected),
                problems(document(types)));
    }

    @Test
    void onlyObjectTypesHaveRelationships() {
        CustomType email = new CustomType("scalar Email", Map.of("author", Relationship.object("author", Map.of("id", "id"))));
        assertEquals(List.of("custom type Email, relationship author: type Email: only object types have relationships, and Email is a scalar"),
                problems(document(List.of(email))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = ";;", textBlock = """
            {"name": "a", "output": "Out", "handler": "http://h/a"}                                          ;;
            {"name": "a", "arguments": {"x": "In!", "y": "[Status!]", "z": "Email", "w": "uuid"}, "output": "[Out!]!", "handler": "http://h/a"} ;;
            {"name": "a", "output": "Status", "handler": "http://h/a"}                                       ;;
            {"name": "a", "output": "Email!", "handler": "http://h/a"}                                       ;;
            {"name": "a", "output": "timestamptz", "handler": "http://h/a"}                                  ;;
            {"name": "a", "arguments": {"x": "Out"}, "output": "Out", "handler": "http://h/a"}               ;; type Out: an argument takes an input type (scalar, enum, input), and Out is an object type (argument x)
            {"name": "a", "output": "In", "handler": "http://h/a"}                                           ;; type In: an action's output is an object type, a scalar or an enum, and In is an input type (output)
            {"name": "a", "output": "[Nope!]", "handler": "http://h/a"}                                      ;; type Nope: no such type: not a built-in or Postgres scalar, nor a custom type (output)
            {"name": "a", "arguments": {"x": "[Nope]"}, "output": "Out", "handler": "http://h/a"}            ;; type Nope: no such type: not a built-in or Postgres scalar, nor a custom type (argument x)
            {"name": "a", "arguments": {"x": "[Int"}, "output": "Out", "handler": "http://h/a"}              ;; argument x: '[Int' is not a GraphQL type such as Int!, [OrderResult!]! or OrderInput
            {"name": "a", "output": "Out!!", "handler": "http://h/a"}                                        ;; output: 'Out!!' is not a GraphQL type such as Int!, [OrderResult!]! or OrderInput
            {"name": "create order", "output": "Out", "handler": "http://h/a"}                               ;; name create order: not a valid GraphQL name
            {"name": "__a", "output": "Out", "handler": "http://h/a"}                                        ;; name __a: not a valid GraphQL name
            {"name": "a", "arguments": {"bad name": "Int"}, "output": "Out", "handler": "http://h/a"}        ;; argument bad name: not a valid GraphQL name
            {"name": "a", "output": "Out", "handler": "http://h/a", "roles": ["user", "bad role"]}           ;; role bad role: malformed: a role name is letters, digits, '_' or '-'
            {"name": "a", "output": "Out", "handler": "http://h/a", "roles": [""]}                           ;; role : malformed: a role name is letters, digits, '_' or '-'
            {"name": "a", "output": "Out", "handler": "ftp://h/a"}                                           ;; handler: 'ftp://h/a' is not an absolute http(s) URL
            {"name": "a", "output": "Out", "handler": "/orders"}                                             ;; handler: '/orders' is not an absolute http(s) URL
            {"name": "a", "output": "Out", "handler": "http://"}                                             ;; handler: 'http://' is not an absolute http(s) URL
            {"name": "a", "output": "Out", "handler": {"from_env": "A_URL"}}                                 ;;
            {"name": "a", "output": "Out", "handler": "http://h/a", "timeout_seconds": 0}                    ;; timeout_seconds: the timeout must be positive, not 0
            {"name": "a", "output": "Out", "handler": "http://h/a", "timeout_seconds": -5}                   ;; timeout_seconds: the timeout must be positive, not -5
            """)
    void anActionUsesKnownTypesWellFormedRolesAnHttpHandlerAndAPositiveTimeout(String json, String expected) {
        Action action = action(json);
        List<String> found = problems(document(types("type Out { a: Int }", "input In { a: Int }", "enum Status { NEW }", "scalar Email"), action));
        assertEquals(expected == null ? List.of() : List.of("action " + action.name() + ": " + expected), found);
    }

    /** Each row: the action's transforms (JSON members), then the problem (or none). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = ";;", quoteCharacter = '~', textBlock = """
            "request_transform": {"version": 2, "template_engine": "Kriti", "method": "GET", "url": "{{$base_url}}/u/{{$body.input.id}}", "query_params": {"a": "{{$body.input.a}}", "flag": null}, "request_headers": {"add_headers": {"X-User": "{{$session_variables['x-hasura-user-id']}}"}, "remove_headers": ["content-type"]}, "body": {"action": "remove"}} ;;
            "request_transform": {"body": "{\\"id\\": {{$body.input.id}}}", "content_type": "application/x-www-form-urlencoded"}, "response_transform": {"body": "{{$body.data}}"} ;;
            "request_transform": {"version": 2, "body": {"action": "x_www_form_urlencoded", "form_template": {"name": "{{$body.input.name}}"}}, "query_params": "a={{$body.input.a}}"} ;;
            "response_transform": {"version": 2, "body": {"action": "transform", "template": "{{ if $response.status == 200 }} $body {{ else }} {\\"message\\": \\"no\\"} {{ end }}"}} ;;
            "request_transform": {"url": "{{$base_url}}/{{$body.input.id"} ;; request_transform.url: the Kriti template does not parse: '{{' is not closed by '}}' at line 1, column 31
            "request_transform": {"body": {"action": "transform", "template": "{\\n  \\"id\\": {{$body.input.id}},\\n  \\"x\\": [1,]\\n}"}} ;; request_transform.body.template: the Kriti template does not parse: unexpected ']', expected a value at line 3, column 11
            "request_transform": {"query_params": {"id": "{{ $body.input.id }"}} ;; request_transform.query_params.id: the Kriti template does not parse: '{{' is not closed by '}}' at line 1, column 20
            "request_transform": {"request_headers": {"add_headers": {"X-A": "{{ a b }}"}}} ;; request_transform.request_headers.add_headers.X-A: the Kriti template does not parse: unexpected 'b', expected '}}' at line 1, column 6
            "request_transform": {"body": {"action": "x_www_form_urlencoded", "form_template": {"n": "{{ if }}"}}} ;; request_transform.body.form_template.n: the Kriti template does not parse: unexpected 'if', expected a value at line 1, column 4
            "request_transform": {"content_type": "text/plain"} ;; request_transform.content_type: 'text/plain' is not application/json or application/x-www-form-urlencoded
            "response_transform": {"body": {"action": "transform", "template": "{{ range x $body }} {{ end }}"}} ;; response_transform.body.template: the Kriti template does not parse: unexpected '$body', expected ':=' after the binders of 'range' at line 1, column 12
            """)
    void transformsTemplatesParseOrAreReportedWithTheirLineAndColumn(String transforms, String expected) {
        Action action = action("{\"name\": \"a\", \"output\": \"Out\", \"handler\": \"http://h/a\", " + transforms + "}");
        List<String> found = problems(document(types("type Out { a: Int }"), action));
        assertEquals(expected == null ? List.of() : List.of("action a: " + expected), found);
    }

    @Test
    void aTypeUsedByABrokenDefinitionIsReportedOnceWhereItIsUsed() {
        Metadata metadata = document(types("type Out { a: Missing }"),
                action("{\"name\": \"a\", \"arguments\": {\"x\": \"Missing\"}, \"output\": \"Out\", \"handler\": \"http://h/a\"}"));
        assertEquals(List.of(
                "custom type Out: type Missing: no such type: not a built-in or Postgres scalar, nor a custom type (field a)",
                "action a: type Missing: no such type: not a built-in or Postgres scalar, nor a custom type (argument x)"), problems(metadata));
    }

    @Test
    void aDefinitionThatIsNotATypeIsUnknownToItsUsers() {
        Metadata metadata = document(types("interface Out { a: Int }"),
                action("{\"name\": \"a\", \"output\": \"Out\", \"handler\": \"http://h/a\"}"));
        assertEquals(List.of(
                "custom type Out: definition: it is an interface; a custom type is a scalar, enum, input or type (object) definition",
                "action a: type Out: no such type: not a built-in or Postgres scalar, nor a custom type (output)"), problems(metadata));
    }

    @Test
    void onlyProblemsAChangeIntroducesCount() {
        Metadata drifted = document(types("type Out { a: Gone }"));
        Metadata next = new Metadata(1, drifted.sources(), List.of(), drifted.customTypes(),
                List.of(action("{\"name\": \"a\", \"output\": \"Nope\", \"handler\": \"http://h/a\"}")));
        assertEquals(List.of(new Problem("action a", "type Nope", "no such type: not a built-in or Postgres scalar, nor a custom type (output)")),
                checker.newProblems(drifted, next), "the existing broken type does not block the change; the new action's problem does");
        assertEquals(List.of(), checker.newProblems(drifted, document(types("type Out { a: Gone }", "scalar Email"))));
    }

    @Test
    void anUntrackedTableTakesTheCustomTypeRelationshipsToIt() {
        Metadata metadata = document(List.of(new CustomType("type Out { author_id: Int }",
                Map.of("author", Relationship.object("author", Map.of("author_id", "id"))))));
        assertEquals(List.of("table article, relationship author", "custom type Out, relationship author"),
                Dependents.ofTable(metadata, "default", QualifiedName.parse("author")).stream()
                        .map(MetadataObject::describe).toList());
        assertEquals(List.of(), Dependents.customTypeRelationshipsTo(metadata, "other", null));
    }

    @Test
    void aCustomTypeIsNeededByTheActionsAndTypesUsingItTransitively() {
        Metadata metadata = document(types("scalar Email", "input Contact { email: Email }", "input Order { contact: Contact! }",
                        "type Result { id: Int }", "enum Unused { A }"),
                action("{\"name\": \"order\", \"arguments\": {\"input\": \"Order!\"}, \"output\": \"Result\", \"handler\": \"http://h/a\"}"),
                action("{\"name\": \"email\", \"output\": \"Email\", \"handler\": \"http://h/a\"}"),
                action("{\"name\": \"result\", \"output\": \"[Result]\", \"handler\": \"http://h/a\"}"));
        assertEquals(List.of("custom type Contact", "custom type Order", "action order", "action email"),
                Dependents.ofCustomType(metadata, "Email").stream().map(MetadataObject::describe).toList());
        assertEquals(List.of("action order", "action result"),
                Dependents.ofCustomType(metadata, "Result").stream().map(MetadataObject::describe).toList());
        assertEquals(List.of(), Dependents.ofCustomType(metadata, "Unused"));
    }
}
