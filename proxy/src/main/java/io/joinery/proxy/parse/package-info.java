/**
 * Parsing and validation of one operation. In: the query text, the operation name and the caller's
 * role (its GraphQL schema and access rules); the raw variables. Out: a {@link io.joinery.proxy.parse.ParseResult}
 * (document, the chosen operation, its fragments, its structural variables) and the coerced variables,
 * or a {@code VALIDATION_FAILED} error: syntax, token, depth and fragment-nesting limits, graphql-java's validation.
 */
package io.joinery.proxy.parse;
