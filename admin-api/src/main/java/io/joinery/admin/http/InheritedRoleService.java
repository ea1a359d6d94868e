package io.joinery.admin.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.metadata.InheritedRole;
import io.joinery.admin.metadata.Metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.joinery.admin.http.Paths.param;

/**
 * The inherited roles ({@code /inherited-roles}, Hasura's {@code inherited_roles}): roles that are
 * the union of others. A write whose role set forms a cycle is refused with 400; one whose parents'
 * permissions do not combine is refused by the engine's checks.
 */
final class InheritedRoleService implements HttpService {

    static final String INHERITED_ROLES = "/inherited-roles";

    static final RouteTable<InheritedRoleService> ROUTES = new RouteTable<InheritedRoleService>()
            .reply(INHERITED_ROLES, Method.GET, InheritedRoleService::roles)
            .reply(INHERITED_ROLES + "/{role}", Method.GET, InheritedRoleService::getRole)
            .reply(INHERITED_ROLES + "/{role}", Method.PUT, InheritedRoleService::putRole)
            .reply(INHERITED_ROLES + "/{role}", Method.DELETE, InheritedRoleService::deleteRole);

    private final MetadataWriter writer;

    InheritedRoleService(MetadataWriter writer) {
        this.writer = writer;
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
    }

    private Reply roles(ServerRequest request) {
        return writer.read(Metadata::inheritedRoles);
    }

    private Reply getRole(ServerRequest request) {
        return writer.read(metadata -> role(metadata, param(request, "role")));
    }

    /** Creates or replaces an inherited role; the body's {@code role_name} defaults to the path's. */
    private Reply putRole(ServerRequest request) {
        String name = param(request, "role");
        InheritedRole role = Bodies.named(request, "role_name", name, InheritedRole.class, InheritedRole::roleName, "inherited role");
        return writer.write(request, current -> new Edit(current.withInheritedRoles(with(current, name, role)),
                Edit.created(find(current, name)), stored -> role));
    }

    /** Nothing depends on an inherited role: a role set naming it names a role without permissions from then on. */
    private Reply deleteRole(ServerRequest request) {
        String name = param(request, "role");
        return writer.write(request, current -> {
            role(current, name);
            return Edit.deletion(current.withInheritedRoles(with(current, name, null)), "inherited role '" + name + "'", List.of());
        });
    }

    private static List<InheritedRole> with(Metadata metadata, String name, InheritedRole role) {
        List<InheritedRole> roles = new ArrayList<>();
        boolean replaced = false;
        for (InheritedRole existing : metadata.inheritedRoles()) {
            if (!existing.roleName().equals(name)) {
                roles.add(existing);
            } else if (role != null) {
                roles.add(role);
                replaced = true;
            }
        }
        if (role != null && !replaced) {
            roles.add(role);
        }
        return roles;
    }

    private static Optional<InheritedRole> find(Metadata metadata, String name) {
        return metadata.inheritedRoles().stream().filter(role -> role.roleName().equals(name)).findFirst();
    }

    private static InheritedRole role(Metadata metadata, String name) {
        return find(metadata, name).orElseThrow(() -> AdminError.notFound("inherited role '" + name + "' does not exist"));
    }
}
