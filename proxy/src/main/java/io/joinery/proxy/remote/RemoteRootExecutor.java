package io.joinery.proxy.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import graphql.language.AstPrinter;
import graphql.language.Definition;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.VariableDefinition;

import io.joinery.telemetry.ClientCall;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends the root fields of one operation that belong to one remote schema as ONE request, the
 * client's aliases, arguments, directives, fragments and variables preserved, and returns each
 * field's value by alias (null with an error when the remote fails). {@code span}: the HTTP call's.
 */
public final class RemoteRootExecutor {

    private RemoteRootExecutor() {
    }

    public record Result(Map<String, JsonNode> values, List<JoinError> errors) {
    }

    @SuppressWarnings("rawtypes")
    public static Result execute(RemoteSchema remote, OperationDefinition.Operation operation, List<Field> fields,
                                 Map<String, FragmentDefinition> fragments, List<VariableDefinition> definitions,
                                 Map<String, Object> variables, Map<String, String> forwardedHeaders, ClientCall span) {
        List<Selection> selections = new ArrayList<>(fields);
        Set<String> fragmentNames = GraphqlDocuments.fragments(selections, fragments);
        Set<String> variableNames = GraphqlDocuments.variables(selections, fragments, fragmentNames);
        List<Definition> document = new ArrayList<>();
        document.add(OperationDefinition.newOperationDefinition().operation(operation)
                .variableDefinitions(definitions.stream().filter(d -> variableNames.contains(d.getName())).toList())
                .selectionSet(SelectionSet.newSelectionSet().selections(selections).build()).build());
        fragmentNames.forEach(name -> document.add(fragments.get(name)));
        Map<String, Object> used = new HashMap<>();
        variableNames.forEach(name -> used.put(name, variables.get(name)));
        Map<String, JsonNode> values = new LinkedHashMap<>();
        List<JoinError> errors = new ArrayList<>();
        JsonNode response;
        try {
            response = remote.client().post(AstPrinter.printAstCompact(Document.newDocument().definitions(document).build()), used, forwardedHeaders, span);
        } catch (RemoteFailure failure) {
            fields.forEach(f -> values.put(f.getResultKey(), NullNode.getInstance()));
            errors.add(JoinError.of(failure, "$." + fields.getFirst().getResultKey()));
            return new Result(values, errors);
        }
        JsonNode data = response.path("data");
        for (Field field : fields) {
            JsonNode value = data.path(field.getResultKey());
            values.put(field.getResultKey(), value.isMissingNode() ? NullNode.getInstance() : value);
        }
        for (JsonNode error : response.path("errors")) {
            JsonNode path = error.path("path");
            StringBuilder where = new StringBuilder("$");
            path.forEach(p -> where.append(p.isInt() ? "[" + p.asInt() + "]" : "." + p.asText()));
            errors.add(new JoinError("remote schema '" + remote.name() + "': " + error.path("message").asText("error"), where.toString()));
        }
        return new Result(values, errors);
    }
}
