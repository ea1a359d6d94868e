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
 */
public record RemotePermission(String role, GraphQLSchema schema, Map<String, Map<String, Map<String, Preset>>> presets) {

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
    }

    /** The preset arguments of {@code typeName.fieldName} (the remote's own type name), by argument name. */
    public Map<String, Preset> presets(String typeName, String fieldName) {
        return presets.getOrDefault(typeName, Map.of()).getOrDefault(fieldName, Map.of());
    }

    public boolean hasPresets() {
        return !presets.isEmpty();
    }

    /** The session variables the presets read, sorted. */
    public Set<String> sessionVariables() {
        Set<String> names = new TreeSet<>();
        presets.values().forEach(fields -> fields.values().forEach(arguments -> arguments.values().forEach(preset -> {
            if (preset instanceof SessionPreset session) {
                names.add(session.name());
            }
        })));
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
        List<graphql.language.Definition> definitions = new ArrayList<>();
        boolean hasSchema = false;
        for (graphql.language.Definition<?> definition : document.getDefinitions()) {
            switch (definition) {
                case ObjectTypeDefinition object -> definitions.add(object.transform(b -> b.fieldDefinitions(
                        withoutPresets(object.getName(), object.getFieldDefinitions(), presets))));
                case InterfaceTypeDefinition anInterface -> definitions.add(anInterface.transform(b -> b.definitions(
                        withoutPresets(anInterface.getName(), anInterface.getFieldDefinitions(), presets))));
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
            return new RemotePermission(role, new SchemaGenerator().makeExecutableSchema(registry, wiring), presets);
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
