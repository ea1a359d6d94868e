package io.joinery.admin.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.check.MetadataObject;
import io.joinery.admin.check.MetadataObject.PermissionRef;
import io.joinery.admin.check.MetadataObject.TableRef;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.RolePermissions;
import io.joinery.admin.metadata.RolePermissions.Operation;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.admin.metadata.TablePermission;

import java.util.List;
import java.util.Optional;

import static io.joinery.admin.http.Paths.OPERATION_PERMISSION;
import static io.joinery.admin.http.Paths.PERMISSION;
import static io.joinery.admin.http.Paths.TABLE;
import static io.joinery.admin.http.Paths.param;
import static io.joinery.admin.http.Paths.table;

/**
 * A table's permissions ({@code .../tables/{table}/permissions}): all of a role's, and the
 * permission of one operation of a role (select, insert, update, delete).
 */
final class PermissionService implements HttpService {

    static final RouteTable<PermissionService> ROUTES = new RouteTable<PermissionService>()
            .reply(TABLE + "/permissions", Method.GET, PermissionService::permissions)
            .reply(PERMISSION, Method.GET, PermissionService::getPermissions)
            .reply(PERMISSION, Method.PUT, PermissionService::putPermissions)
            .reply(PERMISSION, Method.DELETE, PermissionService::deletePermissions)
            .reply(OPERATION_PERMISSION, Method.GET, PermissionService::getPermission)
            .reply(OPERATION_PERMISSION, Method.PUT, PermissionService::putPermission)
            .reply(OPERATION_PERMISSION, Method.DELETE, PermissionService::deletePermission);

    private final MetadataWriter writer;

    PermissionService(MetadataWriter writer) {
        this.writer = writer;
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
    }

    private Reply permissions(ServerRequest request) {
        return writer.read(metadata -> Edits.table(metadata, param(request, "source"), table(request)).permissions());
    }

    private Reply getPermissions(ServerRequest request) {
        return writer.read(metadata -> rolePermissions(metadata, request));
    }

    private Reply putPermissions(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String role = param(request, "role");
        RolePermissions permissions = Bodies.read(request, RolePermissions.class);
        return writer.write(request, current -> {
            TableConfig table = Edits.table(current, source, name);
            return new Edit(Edits.withTable(current, source, name, Edits.withPermissions(table, role, permissions)),
                    Edit.created(Optional.ofNullable(table.permissions().get(role))), stored -> permissions);
        });
    }

    private Reply deletePermissions(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String role = param(request, "role");
        return writer.write(request, current -> {
            rolePermissions(current, request);
            TableConfig table = Edits.table(current, source, name);
            MetadataObject deleted = new PermissionRef(new TableRef(source, name), role);
            return Edit.deletion(Edits.withTable(current, source, name, Edits.withPermissions(table, role, null)), deleted.describe(), List.of());
        });
    }

    private static RolePermissions rolePermissions(Metadata metadata, ServerRequest request) {
        String role = param(request, "role");
        TableConfig table = Edits.table(metadata, param(request, "source"), table(request));
        return Optional.ofNullable(table.permissions().get(role))
                .orElseThrow(() -> AdminError.notFound("table '" + table.table() + "' has no permissions for role '" + role + "'"));
    }

    private Reply getPermission(ServerRequest request) {
        return writer.read(metadata -> permission(metadata, request, operation(request)));
    }

    /** The body is the operation's permission; the role's other operations stay as they are. */
    private Reply putPermission(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String role = param(request, "role");
        Operation operation = operation(request);
        TablePermission permission = Bodies.read(request, operation.type());
        return writer.write(request, current -> {
            TableConfig table = Edits.table(current, source, name);
            Optional<TablePermission> existing = Optional.ofNullable(table.permissions().get(role)).flatMap(p -> p.permission(operation));
            return new Edit(Edits.withTable(current, source, name, Edits.withPermission(table, role, operation, permission)),
                    Edit.created(existing), stored -> permission);
        });
    }

    /** Nothing in the document refers to a permission: it is deleted without dependents; the role's entry goes with its last operation. */
    private Reply deletePermission(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String role = param(request, "role");
        Operation operation = operation(request);
        return writer.write(request, current -> {
            permission(current, request, operation);
            TableConfig table = Edits.table(current, source, name);
            MetadataObject deleted = new PermissionRef(new TableRef(source, name), role, operation);
            return Edit.deletion(Edits.withTable(current, source, name, Edits.withPermission(table, role, operation, null)),
                    deleted.describe(), List.of());
        });
    }

    private static TablePermission permission(Metadata metadata, ServerRequest request, Operation operation) {
        String role = param(request, "role");
        TableConfig table = Edits.table(metadata, param(request, "source"), table(request));
        return Optional.ofNullable(table.permissions().get(role)).flatMap(p -> p.permission(operation))
                .orElseThrow(() -> AdminError.notFound("table '" + table.table() + "' has no " + operation.key()
                        + " permission for role '" + role + "'"));
    }

    /** The path's operation; anything but select, insert, update and delete is not a resource (404). */
    private static Operation operation(ServerRequest request) {
        String operation = param(request, "operation");
        return Operation.of(operation).orElseThrow(() -> AdminError.notFound("unknown permission operation '" + operation
                + "': expected select, insert, update or delete"));
    }
}
