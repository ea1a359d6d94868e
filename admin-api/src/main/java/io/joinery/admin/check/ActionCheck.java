package io.joinery.admin.check;

import graphql.language.EnumTypeDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import io.joinery.admin.catalog.ColumnInfo;
import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.catalog.TableInfo;
import io.joinery.admin.check.MetadataObject.ActionRef;
import io.joinery.admin.check.MetadataObject.CustomTypeRef;
import io.joinery.admin.check.MetadataObject.CustomTypeRelationshipRef;
import io.joinery.admin.metadata.Action;
import io.joinery.admin.metadata.BodyTransform;
import io.joinery.admin.metadata.CustomType;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataException;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.RequestTransform;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.ValueFrom;
import io.joinery.kriti.KritiException;
import io.joinery.kriti.Template;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static io.joinery.admin.check.SourceScope.columnName;

/**
 * The built-in checks of actions and custom types, against the rest of the document and the
 * catalogs: each custom type is one scalar, enum, input or object type definition with a name of its
 * own; the types that fields, arguments and outputs name exist ({@link GraphqlScalars} or a custom
 * type) and are input types where values go in and output types where they come out; custom
 * types' relationships join scalar fields to existing columns of tracked tables, of comparable
 * types; actions have GraphQL names, well-formed role names, an http(s) handler, a positive
 * timeout and transforms whose Kriti templates parse (an error names the template and its line and
 * column). Collisions with the names the engine generates are the engine's checks.
 */
final class ActionCheck implements ConsistencyCheck {

    private static final Pattern GRAPHQL_NAME = Pattern.compile("[_A-Za-z][_0-9A-Za-z]*");
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_-]+");
    private static final String NO_SUCH_TYPE = "no such type: not a built-in or Postgres scalar, nor a custom type";

    /** What a type name stands for, as far as where it may be used goes. */
    private enum Kind {
        SCALAR("a scalar"), ENUM("an enum"), INPUT("an input type"), OBJECT("an object type");

        final String noun;

        Kind(String noun) {
            this.noun = noun;
        }

        boolean input() {
            return this != OBJECT;
        }

        boolean output() {
            return this != INPUT;
        }
    }

    @Override
    public List<Problem> check(Metadata metadata, Map<String, DatabaseCatalog> catalogs) {
        List<Problem> problems = new ArrayList<>();
        Map<String, TypeDefinition<?>> types = definitions(metadata, problems);
        types.forEach((name, definition) -> checkDefinition(new CustomTypeRef(name), definition, types, problems));
        Map<String, SourceScope> scopes = DatabaseCheck.scopes(metadata, catalogs);
        for (int i = 0; i < metadata.customTypes().size(); i++) {
            CustomType type = metadata.customTypes().get(i);
            CustomTypeRef ref = ref(type, i);
            type.relationships().forEach((name, relationship) -> checkRelationship(new CustomTypeRelationshipRef(ref, name),
                    types.get(ref.name()), relationship, types, scopes, problems));
        }
        metadata.actions().forEach(action -> checkAction(action, types, problems));
        return problems;
    }

    /** The custom type {@code type}, the {@code index}th of the document: by its name, or by its position when it gives none. */
    static CustomTypeRef ref(CustomType type, int index) {
        return new CustomTypeRef(type.name().orElse("#" + (index + 1)));
    }

    /** The valid definitions by name; the others are reported. */
    private static Map<String, TypeDefinition<?>> definitions(Metadata metadata, List<Problem> problems) {
        Map<String, TypeDefinition<?>> types = new LinkedHashMap<>();
        for (int i = 0; i < metadata.customTypes().size(); i++) {
            CustomType type = metadata.customTypes().get(i);
            CustomTypeRef ref = ref(type, i);
            TypeDefinition<?> definition;
            try {
                definition = type.typeDefinition();
            } catch (MetadataException e) {
                problems.add(Problem.of(ref, "definition", e.getMessage()));
                continue;
            }
            String name = definition.getName();
            if (name.startsWith("__")) {
                problems.add(Problem.of(ref, "name " + name, "names starting with __ are reserved for GraphQL introspection"));
            } else if (GraphqlScalars.BUILT_IN.contains(name)) {
                problems.add(Problem.of(ref, "name " + name, "it is the name of a built-in scalar"));
            } else {
                types.put(name, definition);
            }
        }
        return types;
    }

    private static void checkDefinition(CustomTypeRef ref, TypeDefinition<?> definition, Map<String, TypeDefinition<?>> types,
                                        List<Problem> problems) {
        switch (definition) {
            case ScalarTypeDefinition scalar -> {
            }
            case EnumTypeDefinition enumType -> {
                if (enumType.getEnumValueDefinitions().isEmpty()) {
                    problems.add(Problem.of(ref, "definition", "an enum needs at least one value"));
                }
            }
            case InputObjectTypeDefinition input -> {
                if (input.getInputValueDefinitions().isEmpty()) {
                    problems.add(Problem.of(ref, "definition", "an input type needs at least one field"));
                }
                for (InputValueDefinition field : input.getInputValueDefinitions()) {
                    use(ref, field.getType(), types, Kind::input, "an input type's fields take input types (scalars, enums, inputs)",
                            "field " + field.getName(), problems);
                }
            }
            case ObjectTypeDefinition object -> checkObject(ref, object, types, problems);
            default -> throw new IllegalStateException("not a custom type definition: " + definition);
        }
    }

    private static void checkObject(CustomTypeRef ref, ObjectTypeDefinition object, Map<String, TypeDefinition<?>> types,
                                    List<Problem> problems) {
        if (!object.getImplements().isEmpty()) {
            problems.add(Problem.of(ref, "definition", "a custom type implements no interfaces"));
        }
        if (object.getFieldDefinitions().isEmpty()) {
            problems.add(Problem.of(ref, "definition", "an object type needs at least one field"));
        }
        for (FieldDefinition field : object.getFieldDefinitions()) {
            if (!field.getInputValueDefinitions().isEmpty()) {
                problems.add(Problem.of(ref, "field " + field.getName(), "a custom object type's fields take no arguments"));
            }
            use(ref, field.getType(), types, Kind::output, "an object type's fields take output types (scalars, enums, object types)",
                    "field " + field.getName(), problems);
        }
    }

    private static void checkRelationship(CustomTypeRelationshipRef ref, TypeDefinition<?> definition, Relationship relationship,
                                          Map<String, TypeDefinition<?>> types, Map<String, SourceScope> scopes, List<Problem> problems) {
        if (definition == null) {
            return; // the definition's own problem is reported
        }
        String typeName = definition.getName();
        if (!(definition instanceof ObjectTypeDefinition object)) {
            problems.add(Problem.of(ref, "type " + typeName, "only object types have relationships, and " + typeName + " is "
                    + kind(definition).noun));
            return;
        }
        if (!GRAPHQL_NAME.matcher(ref.name()).matches() || ref.name().startsWith("__")) {
            problems.add(Problem.of(ref, "name " + ref.name(), "not a valid GraphQL name"));
        } else if (field(object, ref.name()).isPresent()) {
            problems.add(Problem.of(ref, "field " + typeName + "." + ref.name(), "the relationship has the same name as a field of its type"));
        }
        Map<String, String> scalars = new LinkedHashMap<>();
        relationship.on().forEach((fieldName, column) -> {
            Optional<FieldDefinition> field = field(object, fieldName);
            String dependency = "field " + typeName + "." + fieldName;
            if (field.isEmpty()) {
                problems.add(Problem.of(ref, dependency, "the type has no such field"));
                return;
            }
            Type<?> type = field.get().getType() instanceof NonNullType nonNull ? nonNull.getType() : field.get().getType();
            String base = TypeReferences.baseName(type);
            Optional<Kind> kind = kind(base, types);
            if (kind.isEmpty()) {
                return; // reported with the definition
            }
            if (type instanceof ListType || kind.get() != Kind.SCALAR) {
                problems.add(Problem.of(ref, dependency, "a join field is a scalar, and this one is of type "
                        + graphqlText(field.get().getType())));
                return;
            }
            scalars.put(fieldName, base);
        });
        String source = relationship.source() == null ? Source.DEFAULT : relationship.source();
        Optional<TableInfo> target = DatabaseCheck.target(scopes.get(source), ref, relationship, problems);
        if (target.isEmpty()) {
            return;
        }
        relationship.on().forEach((fieldName, column) -> {
            Optional<ColumnInfo> right = target.get().column(column);
            if (right.isEmpty()) {
                problems.add(Problem.of(ref, columnName(relationship.target(), column), "the column does not exist"));
                return;
            }
            String scalar = scalars.get(fieldName);
            if (scalar != null && !ColumnTypes.comparable(scalar, right.get())) {
                problems.add(Problem.of(ref, columnName(relationship.target(), column), "its type " + right.get().sqlType()
                        + " cannot be compared with " + typeName + "." + fieldName + " of type " + scalar));
            }
        });
    }

    private static void checkAction(Action action, Map<String, TypeDefinition<?>> types, List<Problem> problems) {
        ActionRef ref = new ActionRef(action.name());
        if (!GRAPHQL_NAME.matcher(action.name()).matches() || action.name().startsWith("__")) {
            problems.add(Problem.of(ref, "name " + action.name(), "not a valid GraphQL name"));
        }
        action.arguments().forEach((argument, reference) -> {
            String where = "argument " + argument;
            if (!GRAPHQL_NAME.matcher(argument).matches() || argument.startsWith("__")) {
                problems.add(Problem.of(ref, where, "not a valid GraphQL name"));
            }
            reference(ref, reference, where, problems).ifPresent(type -> use(ref, type, types, Kind::input,
                    "an argument takes an input type (scalar, enum, input)", where, problems));
        });
        reference(ref, action.output(), "output", problems).ifPresent(type -> use(ref, type, types, Kind::output,
                "an action's output is an object type, a scalar or an enum", "output", problems));
        for (String role : action.roles()) {
            if (!ROLE.matcher(role).matches()) {
                problems.add(Problem.of(ref, "role " + role, "malformed: a role name is letters, digits, '_' or '-'"));
            }
        }
        checkHandler(ref, action.handler(), problems);
        if (action.timeoutSeconds() != null && action.timeoutSeconds() <= 0) {
            problems.add(Problem.of(ref, "timeout_seconds", "the timeout must be positive, not " + action.timeoutSeconds()));
        }
        if (action.requestTransform() != null) {
            checkRequestTransform(ref, action.requestTransform(), problems);
        }
        if (action.responseTransform() != null && action.responseTransform().body() != null) {
            checkBody(ref, "response_transform.body", action.responseTransform().body(), problems);
        }
    }

    /** Every template of the transform parses; the engine compiles the same texts when it builds its state. */
    private static void checkRequestTransform(ActionRef ref, RequestTransform transform, List<Problem> problems) {
        String where = "request_transform";
        if (transform.url() != null) {
            template(ref, where + ".url", transform.url(), true, problems);
        }
        if (transform.queryParams() != null && transform.queryParams().template() != null) {
            template(ref, where + ".query_params", transform.queryParams().template(), true, problems);
        }
        if (transform.queryParams() != null && transform.queryParams().params() != null) {
            transform.queryParams().params().forEach((name, value) -> {
                template(ref, where + ".query_params name '" + name + "'", name, true, problems);
                if (value != null) {
                    template(ref, where + ".query_params." + name, value, true, problems);
                }
            });
        }
        if (transform.requestHeaders() != null) {
            transform.requestHeaders().addHeaders().forEach((name, value) ->
                    template(ref, where + ".request_headers.add_headers." + name, value, true, problems));
        }
        if (transform.body() != null) {
            checkBody(ref, where + ".body", transform.body(), problems);
        }
        String contentType = transform.contentType();
        if (contentType != null && !contentType.equals("application/json") && !contentType.equals(RequestTransform.FORM_CONTENT_TYPE)) {
            problems.add(Problem.of(ref, where + ".content_type", "'" + contentType + "' is not application/json or "
                    + RequestTransform.FORM_CONTENT_TYPE));
        }
    }

    private static void checkBody(ActionRef ref, String where, BodyTransform body, List<Problem> problems) {
        if (body.template() != null) {
            template(ref, where + ".template", body.template(), false, problems);
        }
        body.formTemplate().forEach((field, value) -> template(ref, where + ".form_template." + field, value, true, problems));
    }

    /** Reports the template at {@code where} when it does not parse: a whole template, or string interpolation only. */
    private static void template(ActionRef ref, String where, String text, boolean interpolation, List<Problem> problems) {
        try {
            if (interpolation) {
                Template.parseInterpolation(text);
            } else {
                Template.parse(text);
            }
        } catch (KritiException e) {
            problems.add(Problem.of(ref, where, "the Kriti template does not parse: " + e.reason() + " at line " + e.line()
                    + ", column " + e.column()));
        }
    }

    private static Optional<Type<?>> reference(ActionRef ref, String reference, String where, List<Problem> problems) {
        Optional<Type<?>> type = TypeReferences.parse(reference);
        if (type.isEmpty()) {
            problems.add(Problem.of(ref, where, "'" + reference + "' is not a GraphQL type such as Int!, [OrderResult!]! or OrderInput"));
        }
        return type;
    }

    private static void checkHandler(ActionRef ref, ValueFrom handler, List<Problem> problems) {
        if (handler.value() == null) {
            return; // read from the environment when the action is called
        }
        try {
            URI uri = new URI(handler.value());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        problems.add(Problem.of(ref, "handler", "'" + handler.value() + "' is not an absolute http(s) URL"));
    }

    /** Reports the type {@code type} names when it does not exist or is not {@code allowed} where {@code where} uses it. */
    private static void use(MetadataObject ref, Type<?> type, Map<String, TypeDefinition<?>> types,
                            java.util.function.Predicate<Kind> allowed, String rule, String where, List<Problem> problems) {
        String name = TypeReferences.baseName(type);
        Optional<Kind> kind = kind(name, types);
        if (kind.isEmpty()) {
            problems.add(Problem.of(ref, "type " + name, NO_SUCH_TYPE + " (" + where + ")"));
        } else if (!allowed.test(kind.get())) {
            problems.add(Problem.of(ref, "type " + name, rule + ", and " + name + " is " + kind.get().noun + " (" + where + ")"));
        }
    }

    private static Optional<Kind> kind(String name, Map<String, TypeDefinition<?>> types) {
        TypeDefinition<?> custom = types.get(name);
        if (custom != null) {
            return Optional.of(kind(custom));
        }
        return GraphqlScalars.known(name) ? Optional.of(Kind.SCALAR) : Optional.empty();
    }

    private static Kind kind(TypeDefinition<?> definition) {
        return switch (definition) {
            case ScalarTypeDefinition s -> Kind.SCALAR;
            case EnumTypeDefinition e -> Kind.ENUM;
            case InputObjectTypeDefinition i -> Kind.INPUT;
            case ObjectTypeDefinition o -> Kind.OBJECT;
            default -> throw new IllegalStateException("not a custom type definition: " + definition);
        };
    }

    private static Optional<FieldDefinition> field(ObjectTypeDefinition object, String name) {
        return object.getFieldDefinitions().stream().filter(f -> f.getName().equals(name)).findFirst();
    }

    private static String graphqlText(Type<?> type) {
        return switch (type) {
            case NonNullType nonNull -> graphqlText(nonNull.getType()) + "!";
            case ListType list -> "[" + graphqlText(list.getType()) + "]";
            default -> TypeReferences.baseName(type);
        };
    }
}
