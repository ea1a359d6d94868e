package io.joinery.proxy.join;

import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import io.joinery.policies.Session;
import io.joinery.telemetry.RequestObservation;

import java.util.Map;

/**
 * What the join stage needs of one request: its operation (remote root fields go out with its type,
 * variable definitions and fragments), its coerced variables, the caller's session (its variables
 * are sent to remotes as headers, and bound in keyed statements), the client's headers (forwarded
 * where a remote asks for them), and where its telemetry goes.
 */
public record JoinContext(OperationDefinition operation, Map<String, FragmentDefinition> fragments, Map<String, Object> variables,
                          Session session, Map<String, String> clientHeaders, RequestObservation observation) {
}
