package io.joinery.proxy.parse;

import graphql.ParseAndValidate;
import graphql.language.Definition;
import graphql.language.Document;
import graphql.language.FragmentDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.OperationDefinition;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.VariableDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLSchema;
import graphql.validation.GoodFaithIntrospectionExceeded;
import graphql.validation.OperationValidationRule;
import graphql.validation.ValidationError;
import io.joinery.proxy.error.ErrorCode;
import io.joinery.proxy.error.JoineryException;
import io.joinery.proxy.schema.RoleAccess;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses an operation within the token limit, refuses fragments nested too deeply, validates it
 * against a role's schema (graphql-java), picks the operation the request names, refuses selections
 * nested too deeply and finds its structural variables. Every refusal is a {@code VALIDATION_FAILED}
 * {@link JoineryException}, thrown.
 */
public final class OperationParser {

    private static final Pattern FIELD_UNDEFINED = Pattern.compile("Field '([^']+)' in type '([^']+)' is undefined");

    /**
     * Note [Validation as Hasura's]: graphql-java's validation rules but two that Hasura does not apply
     * and GraphQL tools trip over: a declared variable the operation does not use is accepted
     * ({@code NO_UNUSED_VARIABLES}), and introspection may ask for several {@code __type} fields
     * ({@code GOOD_FAITH_INTROSPECTION}, which allows one). Introspection stays bounded as every
     * selection is: by the depth and token limits and by the response size limit.
     */
    public static final Predicate<OperationValidationRule> RULES =
            rule -> rule != OperationValidationRule.NO_UNUSED_VARIABLES && rule != OperationValidationRule.GOOD_FAITH_INTROSPECTION;

    private final int maxDepth;
    private final int maxTokens;

    public OperationParser(int maxDepth, int maxTokens) {
        this.maxDepth = maxDepth;
        this.maxTokens = maxTokens;
    }

    public ParseResult parse(GraphQLSchema schema, RoleAccess access, String query, String operationName) {
        Document document;
        try {
            // No source locations: no message of Joinery's carries one, and a cached document kept ~20 bytes per node for them (Note [Plan cache weight]).
            ParserOptions options = ParserOptions.getDefaultOperationParserOptions().transform(o -> o.maxTokens(maxTokens).captureSourceLocation(false));
            document = new Parser().parseDocument(ParserEnvironment.newParserEnvironment()
                    .document(query).parserOptions(options).build());
        } catch (InvalidSyntaxException e) {
            throw new JoineryException(ErrorCode.VALIDATION_FAILED, "not a valid graphql query: " + e.getMessage(), "$.query", null);
        } catch (RuntimeException e) {
            throw new JoineryException(ErrorCode.VALIDATION_FAILED, "not a valid graphql query", "$.query", null);
        }
        if (NestingLimits.fragmentNesting(document) > NestingLimits.MAX_FRAGMENT_NESTING) {
            throw new JoineryException(ErrorCode.VALIDATION_FAILED, "fragments spread fragments more than " + NestingLimits.MAX_FRAGMENT_NESTING
                    + " levels deep; the limit is " + NestingLimits.MAX_FRAGMENT_NESTING, "$.query", null);
        }
        List<ValidationError> errors;
        try {
            errors = ParseAndValidate.validate(schema, document, RULES, Locale.ENGLISH);
        } catch (GoodFaithIntrospectionExceeded e) {
            // graphql-java's guard against introspection used as a denial of service (e.g. __type twice) throws.
            throw new JoineryException(ErrorCode.VALIDATION_FAILED, e.toBadFaithError().getMessage(), "$.query", null);
        }
        if (!errors.isEmpty() && errors.stream().anyMatch(e -> String.valueOf(e.getDescription()).contains("argument 'offset'"))) {
            // Note [Offsets written as strings]
            Document rewritten = OffsetStrings.rewrite(schema, document);
            if (rewritten != null) {
                List<ValidationError> again = ParseAndValidate.validate(schema, rewritten, RULES, Locale.ENGLISH);
                if (again.isEmpty()) {
                    document = rewritten;
                    errors = again;
                }
            }
        }
        if (!errors.isEmpty()) {
            throw validationFailure(errors.getFirst());
        }
        OperationDefinition operation = operation(document, operationName);
        Map<String, FragmentDefinition> fragments = new LinkedHashMap<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof FragmentDefinition fragment) {
                fragments.put(fragment.getName(), fragment);
            }
        }
        int depth = NestingLimits.depth(operation.getSelectionSet(), fragments, 0);
        if (depth > maxDepth) {
            throw new JoineryException(ErrorCode.VALIDATION_FAILED,
                    "the query is " + depth + " levels deep; the limit is " + maxDepth, "$.query", null);
        }
        return new ParseResult(document, operation, fragments, structural(schema, access, operation));
    }

    /** The variables whose values shape the plan: input objects, Booleans, enums that are not enum tables. */
    private static List<String> structural(GraphQLSchema schema, RoleAccess access, OperationDefinition operation) {
        List<String> structural = new ArrayList<>();
        for (VariableDefinition definition : operation.getVariableDefinitions()) {
            GraphQLNamedType type = schema.getTypeAs(baseName(definition.getType()));
            if (type instanceof GraphQLInputObjectType || "Boolean".equals(type == null ? null : type.getName())
                    || (type instanceof GraphQLEnumType && !access.model().isEnumTableType(type.getName()))) {
                structural.add(definition.getName());
            }
        }
        return structural;
    }

    private static JoineryException validationFailure(ValidationError error) {
        String message = error.getDescription() != null ? error.getDescription() : error.getMessage();
        Matcher undefined = FIELD_UNDEFINED.matcher(message);
        if (undefined.find()) {
            message = "field '" + undefined.group(1) + "' not found in type: '" + undefined.group(2) + "'";
        }
        String path = error.getQueryPath() == null || error.getQueryPath().isEmpty() ? "$"
                : "$.selectionSet." + String.join(".selectionSet.", error.getQueryPath());
        boolean parse = error.getExtensions() != null
                && io.joinery.proxy.schema.ScalarSyntax.PARSE_FAILED.get("code").equals(error.getExtensions().get("code"));
        return new JoineryException(parse ? ErrorCode.PARSE_FAILED : ErrorCode.VALIDATION_FAILED, message, path, null);
    }

    private static OperationDefinition operation(Document document, String name) {
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        if (name != null && !name.isEmpty()) {
            return operations.stream().filter(o -> name.equals(o.getName())).findFirst()
                    .orElseThrow(() -> new JoineryException(ErrorCode.VALIDATION_FAILED, "no such operation found in the document: \"" + name + "\"", "$", null));
        }
        if (operations.size() != 1) {
            throw new JoineryException(ErrorCode.VALIDATION_FAILED,
                    "exactly one operation has to be present in the document when operationName is not specified", "$", null);
        }
        return operations.getFirst();
    }

    private static String baseName(Type<?> type) {
        return switch (type) {
            case NonNullType nonNull -> baseName(nonNull.getType());
            case ListType list -> baseName(list.getType());
            case TypeName name -> name.getName();
            default -> throw new IllegalArgumentException("unknown type " + type);
        };
    }
}
