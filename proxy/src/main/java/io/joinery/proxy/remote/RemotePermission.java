package io.joinery.proxy.remote;

import graphql.language.BooleanValue;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.FieldDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.OperationTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.StringValue;
import graphql.language.TypeName;
import graphql.language.Value;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.MockedWiringFactory;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one role may use of a remote schema: {@code schema}, the subset its permission's SDL
 * declares, without the preset arguments; and {@code presets}, the values those arguments are
 * always sent with, by type and field of the remote.
 *
 * <p>Note [Remote schema permissions]: as Hasura's {@code remote_schema_permissions}, a role sees a
 * remote only through a permission, whose SDL must be a subset of the remote's schema
 * ({@link RemoteSubset}: same type kinds, fields, argument and field types, every argument the
 * remote requires). A role without one sees nothing of the remote: no root field, no type, no
 * remote relationship to it. An argument marked {@code @preset(value: ...)} is absent from the
 * role's schema, so a client can neither see it nor send it (validation refuses it), and the
 * planner adds it to every field sent to the remote ({@code plan.RemotePresets}): a session
 * variable's value when the preset is a string {@code x-joinery-*} (unless {@code static: true}),
 * the literal otherwise. The plan cache keys a plan on the values of the session variables the
 * role's presets read (Note [Preset session values] in {@code engine.GraphqlEngine}).
 *
 * <p>An input object's field may be preset too ({@code inputPresets}, by input type and field), as in
 * Hasura: the field is absent from the role's input type, and wherever a value of that type reaches
 * the remote — an argument, a field of another input object, a list item, written in the query or
 * given as a variable (whose value the planner then writes into the query) — it is sent with the
 * preset field. An argument the client leaves out gets none (there is no object to put it in). An
 * input type whose every field is preset is refused (its type would have no field; Hasura drops the
 * arguments of that type): preset the argument instead.
 *
 * <p>This is Joinery's default. Hasura's is the other way ({@code HASURA_GRAPHQL_ENABLE_REMOTE_SCHEMA_PERMISSIONS}
 * unset): every role uses every remote whole, and a remote relationship is a role's when it may
 * select the relationship's key columns. {@code JOINERY_ENABLE_REMOTE_SCHEMA_PERMISSIONS=false}
 * serves that ({@link RemoteSchema#forEveryRole()}), for metadata moved from a Hasura that ran so; the
 * permissions in the metadata are then still checked when written, but not applied.
 */
public record RemotePermission(String role, GraphQLSchema schema, Map<String, Map<String, Map<String, Preset>>> presets,
                               Map<String, Map<String, Preset>> inputPresets) {

    private static final String PRESET = "preset";

    /** An argument's fixed value: a session variable's, or a literal. */
    public sealed interface Preset {
    }

    /** The value of the session variable {@code name} (lower case). */
    public record SessionPreset(String name) implements Preset {
    }

    /** A literal, sent as written in the SDL. */
    public record LiteralPreset(Value<?> value) implements Preset {
    }

    public RemotePermission {
        Map<String, Map<String, Map<String, Preset>>> copy = new LinkedHashMap<>();
        presets.forEach((type, fields) -> {
            Map<String, Map<String, Preset>> byField = new LinkedHashMap<>();
            fields.forEach((field, arguments) -> byField.put(field, Collections.unmodifiableMap(new LinkedHashMap<>(arguments))));
            copy.put(type, Collections.unmodifiableMap(byField));
        });
        presets = Collections.unmodifiableMap(copy);
        Map<String, Map<String, Preset>> inputs = new LinkedHashMap<>();
        inputPresets.forEach((type, fields) -> inputs.put(type, Collections.unmodifiableMap(new LinkedHashMap<>(fields))));
        inputPresets = Collections.unmodifiableMap(inputs);
    }

    public RemotePermission(String role, GraphQLSchema schema, Map<String, Map<String, Map<String, Preset>>> presets) {
        this(role, schema, presets, Map.of());
    }

    /** The preset fields of the input type {@code typeName} (the remote's own name), by field name. */
    public Map<String, Preset> inputPresets(String typeName) {
        return inputPresets.getOrDefault(typeName, Map.of());
    }

    /** Whether a value of {@code type} (of the remote's {@code full} schema) may hold an input object with preset fields. */
    public boolean reachesInputPresets(graphql.schema.GraphQLType type, GraphQLSchema full) {
        return !inputPresets.isEmpty() && reaches(graphql.schema.GraphQLTypeUtil.unwrapAll(type), full, new java.util.HashSet<>());
    }

    private boolean reaches(graphql.schema.GraphQLType type, GraphQLSchema full, Set<String> seen) {
        if (!(type instanceof graphql.schema.GraphQLInputObjectType input) || !seen.add(input.getName())) {
            return false;
        }
        return inputPresets.containsKey(input.getName())
                || input.getFieldDefinitions().stream().anyMatch(f -> reaches(graphql.schema.GraphQLTypeUtil.unwrapAll(f.getType()), full, seen));
    }

    /** The preset arguments of {@code typeName.fieldName} (the remote's own type name), by argument name. */
    public Map<String, Preset> presets(String typeName, String fieldName) {
        return presets.getOrDefault(typeName, Map.of()).getOrDefault(fieldName, Map.of());
    }

    public boolean hasPresets() {
        return !presets.isEmpty() || !inputPresets.isEmpty();
    }

    /** The session variables the presets read, sorted. */
    public Set<String> sessionVariables() {
        Set<String> names = new TreeSet<>();
        presets.values().forEach(fields -> fields.values().forEach(arguments -> arguments.values().forEach(preset -> {
            if (preset instanceof SessionPreset session) {
                names.add(session.name());
            }
        })));
        inputPresets.values().forEach(fields -> fields.values().forEach(preset -> {
            if (preset instanceof SessionPreset session) {
                names.add(session.name());
            }
        }));
        return names;
    }

    /**
     * The permission of {@code role} on {@code remote} from its SDL; throws
     * {@link IllegalArgumentException} saying what is wrong when the SDL does not parse, is not a
     * subset of the remote's schema, or does not make a schema.
     */
    public static RemotePermission of(String role, String sdl, GraphQLSchema remote) {
        Document document;
        try {
            document = Parser.parse(sdl);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the schema does not parse: " + e.getMessage());
        }
        List<String> problems = RemoteSubset.problems(document, remote);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        Map<String, Map<String, Map<String, Preset>>> presets = new LinkedHashMap<>();
        Map<String, Map<String, Preset>> inputPresets = new LinkedHashMap<>();
        List<graphql.language.Definition> definitions = new ArrayList<>();
        boolean hasSchema = false;
        for (graphql.language.Definition<?> definition : document.getDefinitions()) {
            switch (definition) {
                case ObjectTypeDefinition object -> definitions.add(object.transform(b -> b.fieldDefinitions(
                        withoutPresets(object.getName(), object.getFieldDefinitions(), presets))));
                case InterfaceTypeDefinition anInterface -> definitions.add(anInterface.transform(b -> b.definitions(
                        withoutPresets(anInterface.getName(), anInterface.getFieldDefinitions(), presets))));
                case graphql.language.InputObjectTypeDefinition input ->
                        definitions.add(input.transform(b -> b.inputValueDefinitions(withoutInputPresets(input, inputPresets))));
                case graphql.language.DirectiveDefinition directive when directive.getName().equals(PRESET) -> {
                }
                case SchemaDefinition schema -> {
                    hasSchema = true;
                    definitions.add(schema);
                }
                default -> definitions.add(definition);
            }
        }
        if (!hasSchema) {
            definitions.add(rootTypes(document, remote));
        }
        try {
            TypeDefinitionRegistry registry = new SchemaParser().buildRegistry(Document.newDocument().definitions(definitions).build());
            RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring().wiringFactory(new MockedWiringFactory()).build();
            return new RemotePermission(role, new SchemaGenerator().makeExecutableSchema(registry, wiring), presets, inputPresets);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the schema is not a valid GraphQL schema: " + e.getMessage());
        }
    }

    /** The remote's root types that the SDL defines, under the remote's names. */
    private static SchemaDefinition rootTypes(Document document, GraphQLSchema remote) {
        Set<String> defined = new TreeSet<>();
        document.getDefinitionsOfType(ObjectTypeDefinition.class).forEach(type -> defined.add(type.getName()));
        SchemaDefinition.Builder schema = SchemaDefinition.newSchemaDefinition();
        String query = remote.getQueryType().getName();
        if (!defined.contains(query)) {
            throw new IllegalArgumentException("the schema has no query root type " + query);
        }
        schema.operationTypeDefinition(OperationTypeDefinition.newOperationTypeDefinition().name("query").typeName(new TypeName(query)).build());
        if (remote.getMutationType() != null && defined.contains(remote.getMutationType().getName())) {
            schema.operationTypeDefinition(OperationTypeDefinition.newOperationTypeDefinition().name("mutation")
                    .typeName(new TypeName(remote.getMutationType().getName())).build());
        }
        return schema.build();
    }

    private static List<FieldDefinition> withoutPresets(String typeName, List<FieldDefinition> fields,
                                                        Map<String, Map<String, Map<String, Preset>>> presets) {
        List<FieldDefinition> out = new ArrayList<>();
        for (FieldDefinition field : fields) {
            List<InputValueDefinition> kept = new ArrayList<>();
            for (InputValueDefinition argument : field.getInputValueDefinitions()) {
                Directive preset = argument.getDirectives().stream().filter(d -> d.getName().equals(PRESET)).findFirst().orElse(null);
                if (preset == null) {
                    kept.add(argument);
                    continue;
                }
                presets.computeIfAbsent(typeName, t -> new LinkedHashMap<>()).computeIfAbsent(field.getName(), f -> new LinkedHashMap<>())
                        .put(argument.getName(), preset(typeName + "." + field.getName() + "(" + argument.getName() + ")", preset));
            }
            out.add(field.transform(b -> b.inputValueDefinitions(kept)));
        }
        return out;
    }

    /** The input type's fields but the preset ones, which go to {@code inputPresets}. */
    private static List<InputValueDefinition> withoutInputPresets(graphql.language.InputObjectTypeDefinition input,
                                                                  Map<String, Map<String, Preset>> inputPresets) {
        List<InputValueDefinition> kept = new ArrayList<>();
        for (InputValueDefinition field : input.getInputValueDefinitions()) {
            Directive preset = field.getDirectives().stream().filter(d -> d.getName().equals(PRESET)).findFirst().orElse(null);
            if (preset == null) {
                kept.add(field);
            } else {
                inputPresets.computeIfAbsent(input.getName(), t -> new LinkedHashMap<>())
                        .put(field.getName(), preset(input.getName() + "." + field.getName(), preset));
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("every field of the input type " + input.getName()
                    + " is preset, which would leave the type without fields; preset the arguments that take it instead");
        }
        return kept;
    }

    private static Preset preset(String where, Directive directive) {
        if (directive.getArgument("value") == null) {
            throw new IllegalArgumentException("the @preset of " + where + " has no value");
        }
        Value<?> value = directive.getArgument("value").getValue();
        boolean literal = directive.getArgument("static") != null && directive.getArgument("static").getValue() instanceof BooleanValue b
                && b.isValue();
        if (!literal && value instanceof StringValue string
                && string.getValue().toLowerCase(Locale.ROOT).startsWith(io.joinery.policies.Session.PREFIX)) {
            return new SessionPreset(string.getValue().toLowerCase(Locale.ROOT));
        }
        if (value instanceof graphql.language.VariableReference) {
            throw new IllegalArgumentException("the @preset of " + where + " is a variable; it must be a literal or a session variable's name");
        }
        return new LiteralPreset(value);
    }
}
