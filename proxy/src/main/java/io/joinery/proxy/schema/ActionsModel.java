package io.joinery.proxy.schema;

import graphql.language.ObjectTypeDefinition;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.parser.Parser;
import io.joinery.admin.metadata.Action;
import io.joinery.admin.metadata.CustomType;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataException;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.ValueFrom;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The actions and custom types of a metadata version, resolved: each action's type references
 * parsed ({@link ActionModel}), each custom type's definition by name, and the relationships of
 * custom object types to tracked tables by type and relationship name, {@code mapping} pairing the
 * type's fields with the target's columns. Built from the consistent part of the metadata (the
 * checks left out what does not resolve); a relationship whose table is not in the model is left
 * out here too.
 */
public record ActionsModel(Map<String, ActionModel> actions, Map<String, TypeDefinition<?>> types,
                           Map<String, Map<String, RelationshipModel>> relationships) {

    public static final ActionsModel NONE = new ActionsModel(Map.of(), Map.of(), Map.of());

    public ActionsModel {
        actions = Collections.unmodifiableMap(new LinkedHashMap<>(actions));
        types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
        relationships = Map.copyOf(relationships);
    }

    /** The actions and custom types of {@code metadata}, their relationships resolved against {@code tables}, settings read from {@code env}. */
    public static ActionsModel of(Metadata metadata, SchemaModel tables, Function<String, String> env) {
        Map<String, TypeDefinition<?>> types = new LinkedHashMap<>();
        Map<String, Map<String, RelationshipModel>> relationships = new LinkedHashMap<>();
        for (CustomType type : metadata.customTypes()) {
            TypeDefinition<?> definition;
            try {
                definition = type.typeDefinition();
            } catch (MetadataException e) {
                continue;
            }
            types.put(definition.getName(), definition);
            if (!(definition instanceof ObjectTypeDefinition)) {
                continue;
            }
            type.relationships().forEach((name, relationship) -> {
                String source = relationship.source() == null ? Source.DEFAULT : relationship.source();
                String key = SchemaModelBuilder.key(source, relationship.target());
                if (tables.tables().containsKey(key)) {
                    relationships.computeIfAbsent(definition.getName(), t -> new LinkedHashMap<>())
                            .put(name, new RelationshipModel(name, relationship.isArray(), key, relationship.on()));
                }
            });
        }
        Map<String, ActionModel> actions = new LinkedHashMap<>();
        for (Action action : metadata.actions()) {
            Map<String, Type<?>> arguments = new LinkedHashMap<>();
            action.arguments().forEach((name, reference) -> arguments.put(name, Parser.parseType(reference)));
            Map<String, ActionModel.Setting> headers = new LinkedHashMap<>();
            action.headers().forEach((name, value) -> headers.put(name, setting(value, env)));
            actions.put(action.name(), new ActionModel(action.name(), Action.MUTATION.equals(action.operation()), arguments,
                    Parser.parseType(action.output()), setting(action.handler(), env), headers, action.forwardClientHeaders(),
                    Duration.ofSeconds(action.timeout()), java.util.Set.copyOf(action.roles()), action.asynchronous()));
        }
        return new ActionsModel(actions, types, relationships);
    }

    private static ActionModel.Setting setting(ValueFrom value, Function<String, String> env) {
        if (value.value() != null) {
            return new ActionModel.Setting(value.value(), null);
        }
        String resolved = env.apply(value.fromEnv());
        return resolved == null || resolved.isEmpty() ? new ActionModel.Setting(null, value.fromEnv())
                : new ActionModel.Setting(resolved, null);
    }

    /** The custom type named {@code name}, if there is one. */
    public Optional<TypeDefinition<?>> type(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** The table relationships of the custom object type {@code typeName}, by name. */
    public Map<String, RelationshipModel> relationshipsOf(String typeName) {
        return relationships.getOrDefault(typeName, Map.of());
    }

    /** The actions in metadata order. */
    public List<ActionModel> all() {
        return List.copyOf(actions.values());
    }
}
