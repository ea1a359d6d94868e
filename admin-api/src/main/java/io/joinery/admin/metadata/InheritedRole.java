package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.joinery.policies.RoleNames;

import java.util.List;

/**
 * A role that is the union of others (Hasura's {@code inherited_roles}): where it has no permission
 * of its own, it gets what its {@code role_set} gives together (Note [Inherited roles] in
 * {@code proxy.schema.InheritedRoles}). Its parents may be inherited roles too, without a cycle.
 *
 * <pre>
 * inherited_roles:
 *   - { role_name: editor, role_set: [user, reviewer] }
 * </pre>
 */
public record InheritedRole(@JsonProperty("role_name") String roleName, @JsonProperty("role_set") List<String> roleSet) {

    @JsonCreator
    public InheritedRole {
        if (roleName == null || !RoleNames.isValid(roleName) || "admin".equals(roleName)) {
            throw new MetadataException("inherited_roles: a role_name is " + RoleNames.RULE + ", other than admin");
        }
        roleSet = roleSet == null ? List.of() : List.copyOf(roleSet);
        if (roleSet.isEmpty()) {
            throw new MetadataException("inherited role '" + roleName + "': role_set names no role");
        }
        for (String parent : roleSet) {
            if (!RoleNames.isValid(parent) || "admin".equals(parent) || parent.equals(roleName)) {
                throw new MetadataException("inherited role '" + roleName + "': role_set holds '" + parent
                        + "'; each is " + RoleNames.RULE + ", other than admin and the role itself");
            }
        }
        if (roleSet.stream().distinct().count() != roleSet.size()) {
            throw new MetadataException("inherited role '" + roleName + "': role_set names a role twice");
        }
    }
}
