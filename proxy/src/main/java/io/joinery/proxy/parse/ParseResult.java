package io.joinery.proxy.parse;

import graphql.language.Document;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;

import java.util.List;
import java.util.Map;

/**
 * An operation that parsed, stayed within the limits and validated against a role's schema:
 * its document, the operation the request names, the document's fragments by name, and
 * {@code structural}, the variables whose values shape the plan (input objects, enums that are not
 * enum tables, Booleans).
 */
public record ParseResult(Document document, OperationDefinition operation, Map<String, FragmentDefinition> fragments,
                          List<String> structural) {
}
