package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.joinery.policies.RoleNames;

import java.util.List;

/**
 * One entry of the allowlist (Hasura's {@code allowlist}): a {@link QueryCollection} whose documents
 * every role may run ({@code roles} absent: global) or only the roles listed. It counts only when
 * the allowlist is enabled ({@code JOINERY_ENABLE_ALLOWLIST}); then a role other than admin runs
 * only documents of its collections.
 *
 * <pre>
 * allowlist:
 *   - collection: app                 # every role
 *   - { collection: reports, roles: [analyst] }
 * </pre>
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AllowlistEntry(@JsonProperty("collection") @JsonInclude(JsonInclude.Include.ALWAYS) String collection,
                             @JsonProperty("roles") List<String> roles) {

    @JsonCreator
    public AllowlistEntry {
        if (collection == null || collection.isBlank()) {
            throw new MetadataException("an allowlist entry needs a 'collection'");
        }
        roles = roles == null ? List.of() : List.copyOf(roles);
        for (String role : roles) {
            if (!RoleNames.isValid(role)) {
                throw new MetadataException("allowlist entry '" + collection + "': a role name is " + RoleNames.RULE);
            }
        }
    }

    /** Whether every role may run the collection's documents. */
    public boolean global() {
        return roles.isEmpty();
    }
}
