package io.joinery.proxy.remote;

import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.DirectivesContainer;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.Field;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.ObjectField;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.Selection;
import graphql.language.StringValue;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.language.UnionTypeDefinition;
import graphql.language.Value;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Joinery knows of a remote that is an Apollo Federation subgraph: whether it is one (it
 * answers {@code _service { sdl }}), and its entity types with their {@code @key}s, read from that
 * SDL — Federation v1 ({@code extend type Profile @key(fields: "authorId")}) and v2 ({@code type
 * Profile @key(fields: "authorId")} under {@code extend schema @link(...)}, with the key directive
 * imported, renamed or namespaced as {@code @federation__key}).
 */
public record Subgraph(boolean federated, Map<String, List<EntityKey>> entities) {

    public static final Subgraph NONE = new Subgraph(false, Map.of());
    static final String SERVICE_FIELD = "_service";
    /** Federation's root field resolving entities by their representations. */
    public static final String ENTITIES_FIELD = "_entities";
    private static final Set<String> PLUMBING_FIELDS = Set.of(SERVICE_FIELD, ENTITIES_FIELD);
    private static final Set<String> PLUMBING_TYPES = Set.of("_Service", "_Entity", "_Any", "_FieldSet", "FieldSet");
    private static final Set<String> PLUMBING_PREFIXES = Set.of("link__", "federation__", "join__");
    private static final Set<String> BUILT_IN_SCALARS = Set.of("Int", "Float", "String", "Boolean", "ID");

    public Subgraph {
        entities = Collections.unmodifiableMap(new LinkedHashMap<>(entities));
    }

    /** One {@code @key} of an entity type: its field set as written and its top-level fields. */
    public record EntityKey(String fields, List<String> topLevel, boolean flat, boolean resolvable) {
        public EntityKey {
            topLevel = List.copyOf(topLevel);
        }
    }

    /** The keys of an entity type; empty when the type is not an entity of this subgraph. */
    public List<EntityKey> keys(String typeName) {
        return entities.getOrDefault(typeName, List.of());
    }

    static Subgraph fromSdl(String sdl) {
        Document document = Parser.parse(ParserEnvironment.newParserEnvironment().document(sdl)
                .parserOptions(ParserOptions.getDefaultSdlParserOptions()).build());
        Set<String> keyDirectives = keyDirectiveNames(document);
        Map<String, List<EntityKey>> entities = new LinkedHashMap<>();
        for (ObjectTypeDefinition type : document.getDefinitionsOfType(ObjectTypeDefinition.class)) {
            for (Directive directive : type.getDirectives()) {
                if (keyDirectives.contains(directive.getName())) {
                    EntityKey key = entityKey(directive);
                    if (key != null) {
                        entities.computeIfAbsent(type.getName(), t -> new ArrayList<>()).add(key);
                    }
                }
            }
        }
        return new Subgraph(true, entities);
    }

    /**
     * {@code @key} unless a federation v2 {@code @link} imports it under another name or leaves it
     * namespaced ({@code @federation__key}, or {@code @<as>__key}).
     */
    private static Set<String> keyDirectiveNames(Document document) {
        Set<String> names = new HashSet<>(Set.of("key", "federation__key"));
        List<DirectivesContainer<?>> schemas = new ArrayList<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof SchemaDefinition schema) {
                schemas.add(schema);
            }
        }
        for (DirectivesContainer<?> schema : schemas) {
            for (Directive link : schema.getDirectives("link")) {
                Value<?> url = argument(link, "url");
                if (!(url instanceof StringValue text) || !text.getValue().contains("specs.apollo.dev/federation")) {
                    continue;
                }
                if (argument(link, "as") instanceof StringValue as) {
                    names.add(as.getValue() + "__key");
                }
                if (argument(link, "import") instanceof ArrayValue imports) {
                    for (Value<?> imported : imports.getValues()) {
                        if (imported instanceof ObjectValue renamed && "@key".equals(text(renamed, "name")) && text(renamed, "as") != null) {
                            names.add(text(renamed, "as").replaceFirst("^@", ""));
                        }
                    }
                }
            }
        }
        return names;
    }

    private static EntityKey entityKey(Directive directive) {
        if (!(argument(directive, "fields") instanceof StringValue fields)) {
            return null;
        }
        boolean resolvable = !(argument(directive, "resolvable") instanceof BooleanValue flag) || flag.isValue();
        Document selection = Parser.parse("{" + fields.getValue() + "}");
        OperationDefinition operation = selection.getDefinitionsOfType(OperationDefinition.class).getFirst();
        List<String> topLevel = new ArrayList<>();
        boolean flat = true;
        for (Selection<?> field : operation.getSelectionSet().getSelections()) {
            if (field instanceof Field f) {
                topLevel.add(f.getName());
                flat &= f.getSelectionSet() == null || f.getSelectionSet().getSelections().isEmpty();
            } else {
                flat = false;
            }
        }
        return new EntityKey(fields.getValue(), topLevel, flat, resolvable);
    }

    private static Value<?> argument(Directive directive, String name) {
        Argument argument = directive.getArgument(name);
        return argument == null ? null : argument.getValue();
    }

    private static String text(ObjectValue object, String name) {
        for (ObjectField field : object.getObjectFields()) {
            if (field.getName().equals(name) && field.getValue() instanceof StringValue text) {
                return text.getValue();
            }
        }
        return null;
    }

    /**
     * The introspected schema of a subgraph without its federation plumbing: the {@code _service}
     * and {@code _entities} root fields, the {@code _Service} and {@code _Entity} types, and the
     * federation scalars, enums and directive definitions nothing else refers to. What is left is
     * what clients see; two subgraphs then no longer collide on {@code _Service}.
     */
    static Document withoutPlumbing(Document document, String queryType) {
        List<Definition> kept = new ArrayList<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof ObjectTypeDefinition type && type.getName().equals(queryType)) {
                kept.add(type.transform(b -> b.fieldDefinitions(type.getFieldDefinitions().stream()
                        .filter(f -> !PLUMBING_FIELDS.contains(f.getName())).toList())));
            } else if (!(definition instanceof TypeDefinition<?> type && (type.getName().equals("_Service") || type.getName().equals("_Entity")))) {
                kept.add(definition);
            }
        }
        Set<String> referenced = referencedTypes(kept);
        kept.removeIf(d -> d instanceof TypeDefinition<?> type && !(d instanceof DirectiveDefinition)
                && plumbingType(type.getName()) && !referenced.contains(type.getName()));
        Set<String> defined = new HashSet<>(BUILT_IN_SCALARS);
        kept.forEach(d -> {
            if (d instanceof TypeDefinition<?> type && !(d instanceof DirectiveDefinition)) {
                defined.add(type.getName());
            }
        });
        kept.removeIf(d -> d instanceof DirectiveDefinition directive && directive.getInputValueDefinitions().stream()
                .anyMatch(argument -> !defined.contains(typeName(argument.getType()))));
        return document.transform(b -> b.definitions(kept));
    }

    private static boolean plumbingType(String name) {
        return PLUMBING_TYPES.contains(name) || PLUMBING_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** The type names used by fields, arguments, input fields, interfaces and union members (not by directive definitions). */
    @SuppressWarnings("rawtypes")
    private static Set<String> referencedTypes(List<Definition> definitions) {
        Set<String> names = new HashSet<>();
        for (Definition<?> definition : definitions) {
            switch (definition) {
                case ObjectTypeDefinition object -> {
                    object.getFieldDefinitions().forEach(f -> fieldTypes(f, names));
                    object.getImplements().forEach(t -> names.add(typeName(t)));
                }
                case InterfaceTypeDefinition face -> {
                    face.getFieldDefinitions().forEach(f -> fieldTypes(f, names));
                    face.getImplements().forEach(t -> names.add(typeName(t)));
                }
                case UnionTypeDefinition union -> union.getMemberTypes().forEach(t -> names.add(typeName(t)));
                case InputObjectTypeDefinition input -> input.getInputValueDefinitions().forEach(v -> names.add(typeName(v.getType())));
                case EnumTypeDefinition ignored -> {
                }
                case ScalarTypeDefinition ignored -> {
                }
                default -> {
                }
            }
        }
        return names;
    }

    private static void fieldTypes(FieldDefinition field, Set<String> names) {
        names.add(typeName(field.getType()));
        for (InputValueDefinition argument : field.getInputValueDefinitions()) {
            names.add(typeName(argument.getType()));
        }
    }

    @SuppressWarnings("rawtypes")
    private static String typeName(Type type) {
        return switch (type) {
            case NonNullType nonNull -> typeName(nonNull.getType());
            case ListType list -> typeName(list.getType());
            case TypeName name -> name.getName();
            default -> throw new IllegalStateException("unknown type " + type);
        };
    }
}
