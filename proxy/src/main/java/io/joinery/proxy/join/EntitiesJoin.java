package io.joinery.proxy.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import graphql.language.Argument;
import graphql.language.Field;
import graphql.language.InlineFragment;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.SelectionSet;
import graphql.language.TypeName;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLType;
import io.joinery.proxy.plan.JoinSpec;
import io.joinery.proxy.schema.JoinForm;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The federation form of a remote join ({@link JoinForm.Entities}): the chunk's distinct keys as
 * entity representations in ONE request,
 * {@code query($r: [_Any!]!) { _entities(representations: $r) { ... on Profile { … } } }} with
 * {@code $r = [{"__typename": "Profile", "authorId": 1}, …]}. A subgraph answers in
 * representation order, so the i-th entity is the i-th key's value (null: no such entity).
 */
record EntitiesJoin(JoinForm.Entities form) implements RemoteForm {

    private static final String VARIABLE = "joinery_representations";

    @Override
    public void send(JoinChunk chunk) {
        JoinSpec join = chunk.join;
        String query;
        Map<String, Object> used;
        String variable = variableName(join);
        try {
            GraphQLObjectType type = chunk.remote.schema().getObjectType(form.typename());
            if (type == null) {
                throw new IllegalStateException("the subgraph has no entity type " + form.typename());
            }
            ArrayNode representations = JsonNodeFactory.instance.arrayNode(chunk.keys.size());
            for (List<JsonNode> key : chunk.keys) {
                ObjectNode representation = representations.addObject().put("__typename", form.typename());
                for (int c = 0; c < key.size(); c++) {
                    String field = form.keyFields().get(c);
                    representation.set(field, coerce(key.get(c), type.getFieldDefinition(field)));
                }
            }
            VariableDefinition definition = VariableDefinition.newVariableDefinition(variable,
                    NonNullType.newNonNullType(ListType.newListType(NonNullType.newNonNullType(TypeName.newTypeName("_Any").build()).build())
                            .build()).build()).build();
            Field entities = Field.newField(JoinForm.Entities.FIELD)
                    .arguments(List.of(Argument.newArgument("representations", VariableReference.of(variable)).build()))
                    .selectionSet(SelectionSet.newSelectionSet().selection(InlineFragment.newInlineFragment()
                            .typeCondition(TypeName.newTypeName(form.typename()).build())
                            .selectionSet(join.selection()).build()).build())
                    .build();
            Set<String> fragmentNames = chunk.fragmentNames();
            Set<String> variableNames = chunk.variableNames(fragmentNames);
            query = JoinDocuments.document(join, "JoineryEntities", List.of(definition), List.of(entities), fragmentNames, variableNames);
            used = chunk.variables(variableNames);
            used.put(variable, representations);
        } catch (RuntimeException e) {
            chunk.error("remote relationship '" + join.alias() + "' cannot be sent to remote schema '"
                    + chunk.remote.name() + "': " + e.getMessage(), chunk.firstPath());
            return;
        }
        JsonNode response = chunk.post(query, used);
        if (response == null) {
            return;
        }
        JsonNode entities = response.path("data").path(JoinForm.Entities.FIELD);
        if (entities.isArray() && entities.size() == chunk.keys.size()) {
            for (int i = 0; i < chunk.keys.size(); i++) {
                JsonNode entity = entities.get(i);
                chunk.result(i, entity.isObject() ? entity : NullNode.getInstance());
            }
        } else if (!entities.isMissingNode() && !entities.isNull()) {
            chunk.error("remote schema '" + chunk.remote.name() + "' answered " + (entities.isArray() ? entities.size() : "no list of")
                    + " entities for " + chunk.keys.size() + " representations", chunk.firstPath());
        }
        for (JsonNode error : response.path("errors")) {
            chunk.error("remote schema '" + chunk.remote.name() + "': " + error.path("message").asText("error"), pathOf(error, chunk));
        }
    }

    @Override
    public Explanation explain(JoinSpec join, String call, String selection) {
        return new Explanation("one request per level, one _entities representation per distinct key " + join.keyColumns(),
                "query JoineryEntities($joinery_representations: [_Any!]!) { _entities(representations: "
                        + "[{__typename: \"" + form.typename() + "\", " + String.join(", ", form.keyFields())
                        + "}, ...]) { ... on " + form.typename() + selection + " } }");
    }

    /** A variable name the client's operation does not use. */
    private static String variableName(JoinSpec join) {
        Set<String> taken = new HashSet<>();
        join.variableDefinitions().forEach(d -> taken.add(d.getName()));
        String name = VARIABLE;
        while (taken.contains(name)) {
            name = name + "_";
        }
        return name;
    }

    /** A key value as the entity's key field declares it: numbers become text for {@code ID} and {@code String} fields and the reverse. */
    static JsonNode coerce(JsonNode value, GraphQLFieldDefinition field) {
        if (field == null) {
            return value;
        }
        GraphQLType type = field.getType() instanceof GraphQLNonNull nonNull ? nonNull.getWrappedType() : field.getType();
        if (!(type instanceof graphql.schema.GraphQLScalarType scalar)) {
            return value;
        }
        switch (scalar.getName()) {
            case "ID", "String" -> {
                return value.isNumber() ? TextNode.valueOf(value.asText()) : value;
            }
            case "Int", "Float" -> {
                if (value.isTextual()) {
                    try {
                        return JsonNodeFactory.instance.numberNode(new BigDecimal(value.textValue()));
                    } catch (NumberFormatException e) {
                        return value;
                    }
                }
                return value;
            }
            default -> {
                return value;
            }
        }
    }

    /** A remote error path {@code ["_entities", 3, "name"]} → the row of the chunk's key 3. */
    private static String pathOf(JsonNode error, JoinChunk chunk) {
        JsonNode path = error.path("path");
        if (path.isArray() && path.size() > 1 && JoinForm.Entities.FIELD.equals(path.get(0).asText()) && path.get(1).isInt()) {
            int key = path.get(1).asInt();
            if (key >= 0 && key < chunk.keys.size()) {
                return JoinChunk.append(chunk.keyPath(key), path, 2);
            }
        }
        return chunk.firstPath();
    }
}
