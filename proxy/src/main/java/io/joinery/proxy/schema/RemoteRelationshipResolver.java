package io.joinery.proxy.schema;

import com.fasterxml.jackson.databind.JsonNode;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLType;
import io.joinery.admin.metadata.RemoteRelationship;
import io.joinery.proxy.remote.RemoteJoin;
import io.joinery.proxy.remote.RemoteSchema;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a table's remote relationship against the live remote schema and the table's columns:
 * the remote exists, each field of the path exists, each argument exists, non-null arguments are
 * given, and every {@code $column} is a column of the table. Returns the model, or a problem.
 */
final class RemoteRelationshipResolver {

    private RemoteRelationshipResolver() {
    }

    sealed interface Resolution {
    }

    record Resolved(RemoteRelationshipModel model) implements Resolution {
    }

    record Problem(String reason) implements Resolution {
    }

    static Resolution resolve(String name, RemoteRelationship relationship, TableModel table, Map<String, RemoteSchema> remotes) {
        String where = "table " + table.name() + ", remote relationship " + name + ": ";
        RemoteSchema remote = remotes.get(relationship.remoteSchema());
        if (remote == null) {
            return new Problem(where + "remote schema '" + relationship.remoteSchema() + "' is not available");
        }
        if (!SchemaModelBuilder.validName(name) || table.columnByGraphqlName(name).isPresent() || table.relationships().containsKey(name)) {
            return new Problem(where + "the name is not a valid GraphQL name or collides with a field of the table");
        }
        List<RemoteJoin.PathStep> path = new ArrayList<>();
        Set<String> columns = new LinkedHashSet<>();
        GraphQLFieldsContainer parent = remote.schema().getQueryType();
        GraphQLOutputType type = null;
        Map<String, RemoteRelationship.RemoteField> step = relationship.remoteField();
        while (step != null) {
            Map.Entry<String, RemoteRelationship.RemoteField> entry = step.entrySet().iterator().next();
            if (parent == null) {
                return new Problem(where + "field " + entry.getKey() + " follows a field that has no fields");
            }
            GraphQLFieldDefinition field = parent.getFieldDefinition(entry.getKey());
            if (field == null) {
                return new Problem(where + "uses field " + parent.getName() + "." + entry.getKey() + " of remote schema '"
                        + remote.name() + "', which does not exist");
            }
            JsonNode arguments = entry.getValue() == null ? null : entry.getValue().arguments();
            String argumentProblem = checkArguments(field, arguments, table, columns);
            if (argumentProblem != null) {
                return new Problem(where + argumentProblem);
            }
            path.add(new RemoteJoin.PathStep(entry.getKey(), arguments));
            type = field.getType();
            parent = unwrap(type) instanceof GraphQLFieldsContainer container ? container : null;
            step = entry.getValue() == null ? null : entry.getValue().field();
        }
        if (columns.isEmpty()) {
            return new Problem(where + "its arguments use no column of the table ($column)");
        }
        return new Resolved(new RemoteRelationshipModel(name, remote.name(), List.copyOf(columns), path, type));
    }

    private static String checkArguments(GraphQLFieldDefinition field, JsonNode arguments, TableModel table, Set<String> columns) {
        if (arguments != null && !arguments.isObject()) {
            return "arguments of " + field.getName() + " must be an object";
        }
        for (GraphQLArgument argument : field.getArguments()) {
            boolean given = arguments != null && arguments.has(argument.getName());
            if (!given && argument.getType() instanceof GraphQLNonNull && !argument.hasSetDefaultValue()) {
                return "argument " + argument.getName() + " of " + field.getName() + " is required";
            }
        }
        if (arguments == null) {
            return null;
        }
        for (Map.Entry<String, JsonNode> entry : arguments.properties()) {
            if (field.getArgument(entry.getKey()) == null) {
                return "field " + field.getName() + " has no argument " + entry.getKey();
            }
            String missing = collectColumns(entry.getValue(), table, columns);
            if (missing != null) {
                return "argument " + entry.getKey() + " uses $" + missing + ", which is not a column of " + table.name();
            }
        }
        return null;
    }

    private static String collectColumns(JsonNode template, TableModel table, Set<String> columns) {
        if (template.isTextual() && template.textValue().startsWith("$")) {
            String column = template.textValue().substring(1);
            if (table.column(column).isEmpty()) {
                return column;
            }
            columns.add(column);
            return null;
        }
        for (JsonNode child : template) {
            String missing = collectColumns(child, table, columns);
            if (missing != null) {
                return missing;
            }
        }
        return null;
    }

    static GraphQLType unwrap(GraphQLType type) {
        GraphQLType current = type;
        while (current instanceof GraphQLNonNull || current instanceof GraphQLList) {
            current = current instanceof GraphQLNonNull nonNull ? nonNull.getWrappedType() : ((GraphQLList) current).getWrappedType();
        }
        return current;
    }
}
