package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.joinery.policies.RoleNames;

import java.util.List;

/**
 * Hasura's {@code graphql_schema_introspection}: the roles that may not introspect the schema
 * ({@code __schema}, {@code __type}; {@code __typename} stays).
 *
 * <pre>
 * graphql_schema_introspection:
 *   disabled_for_roles: [anonymous, user]
 * </pre>
 */
public record IntrospectionOptions(@JsonProperty("disabled_for_roles") List<String> disabledForRoles) {

    @JsonCreator
    public IntrospectionOptions {
        disabledForRoles = disabledForRoles == null ? List.of() : List.copyOf(disabledForRoles);
        for (String role : disabledForRoles) {
            if (!RoleNames.isValid(role)) {
                throw new MetadataException("graphql_schema_introspection: a role name is " + RoleNames.RULE);
            }
        }
    }

    public static IntrospectionOptions none() {
        return new IntrospectionOptions(List.of());
    }
}
