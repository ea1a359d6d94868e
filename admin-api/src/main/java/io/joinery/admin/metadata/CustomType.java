package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import graphql.GraphQLException;
import graphql.language.Definition;
import graphql.language.DirectiveDefinition;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.NamedNode;
import graphql.language.ObjectTypeDefinition;
import graphql.language.SDLExtensionDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.TypeDefinition;
import graphql.language.UnionTypeDefinition;
import graphql.parser.Parser;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A GraphQL type of the document's own, for the arguments and outputs of {@link Action}s: one type
 * definition in GraphQL's schema language (read with graphql-java's parser), a {@code scalar}, an
 * {@code enum}, an {@code input} object or an object {@code type}. An object type may join its
 * fields to tables with {@code relationships}, written as a table's relationships are, {@code on}
 * mapping the type's fields to the target's columns.
 *
 * <pre>
 * custom_types:
 *   - definition: scalar Email
 *   - definition: enum OrderStatus { NEW PAID SHIPPED }
 *   - definition: "input OrderInput { item_id: Int!, quantity: Int!, email: Email }"
 *   - definition: "type OrderResult { order_id: Int!, status: OrderStatus! }"
 *     relationships:
 *       order: { object: order, on: { order_id: id } }   # source: when the table is not in the default source
 * </pre>
 *
 * <p>The type's name is read from the definition, which is kept exactly as written. A definition
 * that does not parse, or is not one type definition of those four kinds, is not a malformed
 * document but an inconsistent one: the consistency checks report it, with everything else a
 * definition can get wrong (unknown or misplaced types, reserved names).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CustomType(
        @JsonProperty("definition") @JsonInclude(JsonInclude.Include.ALWAYS) String definition,
        @JsonProperty("relationships") Map<String, Relationship> relationships) {

    @JsonCreator
    public CustomType {
        if (definition == null) {
            throw new MetadataException("a custom type needs 'definition': one GraphQL type definition such as 'scalar Email'");
        }
        relationships = relationships == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(relationships));
    }

    public static CustomType of(String definition) {
        return new CustomType(definition, null);
    }

    /** The name the definition gives, when it parses to exactly one named definition (of any kind); else empty. */
    @JsonIgnore
    public Optional<String> name() {
        try {
            var definitions = document().getDefinitions();
            return definitions.size() == 1 && definitions.getFirst() instanceof NamedNode<?> named
                    ? Optional.ofNullable(named.getName()) : Optional.empty();
        } catch (MetadataException e) {
            return Optional.empty();
        }
    }

    /**
     * The one type definition: a {@link ScalarTypeDefinition}, {@link EnumTypeDefinition},
     * {@link InputObjectTypeDefinition} or {@link ObjectTypeDefinition}.
     *
     * @throws MetadataException saying why the text is not one such definition
     */
    @JsonIgnore
    public TypeDefinition<?> typeDefinition() {
        var definitions = document().getDefinitions();
        if (definitions.size() != 1) {
            throw new MetadataException("it holds " + definitions.size() + " definitions; a custom type is exactly one");
        }
        Definition<?> definition = definitions.getFirst();
        if (definition instanceof SDLExtensionDefinition) {
            throw new MetadataException("it extends a type ('extend'); a custom type is a whole definition");
        }
        return switch (definition) {
            case ScalarTypeDefinition scalar -> scalar;
            case EnumTypeDefinition enumType -> enumType;
            case InputObjectTypeDefinition input -> input;
            case ObjectTypeDefinition object -> object;
            case InterfaceTypeDefinition i -> throw notAllowed("an interface");
            case UnionTypeDefinition u -> throw notAllowed("a union");
            case DirectiveDefinition d -> throw notAllowed("a directive definition");
            case SchemaDefinition s -> throw notAllowed("a schema definition");
            default -> throw notAllowed("not a type definition");
        };
    }

    private static MetadataException notAllowed(String what) {
        return new MetadataException("it is " + what + "; a custom type is a scalar, enum, input or type (object) definition");
    }

    private Document document() {
        try {
            return Parser.parse(definition);
        } catch (GraphQLException e) {
            if (definition.replaceAll("#[^\\n\\r]*", "").isBlank()) {
                throw new MetadataException("it is empty; a custom type is one definition such as 'scalar Email'", e);
            }
            throw new MetadataException("it does not parse: " + e.getMessage(), e);
        }
    }
}
