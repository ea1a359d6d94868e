package io.joinery.admin.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.RemoteSchemaConfig;
import io.joinery.admin.metadata.RemoteSchemaPermission;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.joinery.admin.http.Paths.REMOTE_SCHEMAS;
import static io.joinery.admin.http.Paths.param;

/**
 * What each role may use of a remote schema ({@code /remote-schemas/{name}/permissions}, Hasura's
 * remote schema permissions): the SDL subset of one role. The engine's checks refuse, with 400, an
 * SDL that is not a subset of the remote's schema.
 */
final class RemoteSchemaPermissionService implements HttpService {

    static final String PERMISSIONS = REMOTE_SCHEMAS + "/{name}/permissions";

    static final RouteTable<RemoteSchemaPermissionService> ROUTES = new RouteTable<RemoteSchemaPermissionService>()
            .reply(PERMISSIONS, Method.GET, RemoteSchemaPermissionService::permissions)
            .reply(PERMISSIONS + "/{role}", Method.GET, RemoteSchemaPermissionService::getPermission)
            .reply(PERMISSIONS + "/{role}", Method.PUT, RemoteSchemaPermissionService::putPermission)
            .reply(PERMISSIONS + "/{role}", Method.DELETE, RemoteSchemaPermissionService::deletePermission);

    private final MetadataWriter writer;

    RemoteSchemaPermissionService(MetadataWriter writer) {
        this.writer = writer;
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
    }

    private Reply permissions(ServerRequest request) {
        return writer.read(metadata -> Edits.remoteSchema(metadata, param(request, "name")).permissions());
    }

    private Reply getPermission(ServerRequest request) {
        return writer.read(metadata -> permission(metadata, request));
    }

    private Reply putPermission(ServerRequest request) {
        String name = param(request, "name");
        String role = param(request, "role");
        RemoteSchemaPermission permission = Bodies.read(request, RemoteSchemaPermission.class);
        return writer.write(request, current -> {
            RemoteSchemaConfig remote = Edits.remoteSchema(current, name);
            return new Edit(Edits.withRemoteSchema(current, name, remote.withPermissions(with(remote, role, permission))),
                    Edit.created(Optional.ofNullable(remote.permissions().get(role))), stored -> permission);
        });
    }

    /** Nothing refers to a permission: it is deleted without dependents. */
    private Reply deletePermission(ServerRequest request) {
        String name = param(request, "name");
        String role = param(request, "role");
        return writer.write(request, current -> {
            permission(current, request);
            RemoteSchemaConfig remote = Edits.remoteSchema(current, name);
            return Edit.deletion(Edits.withRemoteSchema(current, name, remote.withPermissions(with(remote, role, null))),
                    "permission of role '" + role + "' on remote schema '" + name + "'", List.of());
        });
    }

    private static Map<String, RemoteSchemaPermission> with(RemoteSchemaConfig remote, String role, RemoteSchemaPermission permission) {
        Map<String, RemoteSchemaPermission> permissions = new LinkedHashMap<>(remote.permissions());
        if (permission == null) {
            permissions.remove(role);
        } else {
            permissions.put(role, permission);
        }
        return permissions;
    }

    private static RemoteSchemaPermission permission(Metadata metadata, ServerRequest request) {
        String role = param(request, "role");
        RemoteSchemaConfig remote = Edits.remoteSchema(metadata, param(request, "name"));
        return Optional.ofNullable(remote.permissions().get(role))
                .orElseThrow(() -> AdminError.notFound("remote schema '" + remote.name() + "' has no permission for role '" + role + "'"));
    }
}
