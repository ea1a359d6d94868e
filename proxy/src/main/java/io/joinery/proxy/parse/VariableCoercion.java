package io.joinery.proxy.parse;

import graphql.GraphQLContext;
import graphql.GraphQLError;
import graphql.execution.CoercedVariables;
import graphql.execution.RawVariables;
import graphql.execution.ValuesResolver;
import graphql.language.OperationDefinition;
import graphql.schema.GraphQLSchema;
import io.joinery.proxy.error.ErrorCode;
import io.joinery.proxy.error.JoineryException;

import java.util.Locale;
import java.util.Map;

/** A request's raw variables coerced to the types its operation declares, by graphql-java. */
public final class VariableCoercion {

    private VariableCoercion() {
    }

    public static Map<String, Object> coerce(GraphQLSchema schema, OperationDefinition operation, Map<String, Object> raw) {
        if (operation.getVariableDefinitions().isEmpty()) {
            return Map.of();
        }
        try {
            CoercedVariables coerced = ValuesResolver.coerceVariableValues(schema, operation.getVariableDefinitions(),
                    RawVariables.of(raw), GraphQLContext.getDefault(), Locale.ENGLISH);
            return coerced.toMap();
        } catch (RuntimeException e) {
            String message = e instanceof GraphQLError error ? error.getMessage() : "invalid variables";
            boolean parse = e instanceof GraphQLError error && error.getExtensions() != null
                    && io.joinery.proxy.schema.ScalarSyntax.PARSE_FAILED.get("code").equals(error.getExtensions().get("code"));
            throw new JoineryException(parse ? ErrorCode.PARSE_FAILED : ErrorCode.VALIDATION_FAILED, message, "$.variableValues", null);
        }
    }
}
