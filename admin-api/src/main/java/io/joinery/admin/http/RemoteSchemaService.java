package io.joinery.admin.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.check.RemoteRef;
import io.joinery.admin.check.RemoteRef.RemoteSchemaRef;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.RemoteSchemaConfig;

import java.util.List;
import java.util.stream.Stream;

import static io.joinery.admin.http.Paths.REMOTE_SCHEMAS;
import static io.joinery.admin.http.Paths.param;

/** The remote schemas ({@code /remote-schemas}). */
final class RemoteSchemaService implements HttpService {

    static final RouteTable<RemoteSchemaService> ROUTES = new RouteTable<RemoteSchemaService>()
            .reply(REMOTE_SCHEMAS, Method.GET, RemoteSchemaService::remoteSchemas)
            .reply(REMOTE_SCHEMAS + "/{name}", Method.GET, RemoteSchemaService::getRemoteSchema)
            .reply(REMOTE_SCHEMAS + "/{name}", Method.PUT, RemoteSchemaService::putRemoteSchema)
            .reply(REMOTE_SCHEMAS + "/{name}", Method.DELETE, RemoteSchemaService::deleteRemoteSchema);

    private final MetadataWriter writer;

    RemoteSchemaService(MetadataWriter writer) {
        this.writer = writer;
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
    }

    private Reply remoteSchemas(ServerRequest request) {
        return writer.read(Metadata::remoteSchemas);
    }

    private Reply getRemoteSchema(ServerRequest request) {
        return writer.read(metadata -> Edits.remoteSchema(metadata, param(request, "name")));
    }

    /**
     * Creates or replaces a remote schema; the body's {@code name} defaults to the path's. The
     * engine's checks introspect it before the write, so an unreachable remote, or one that no
     * longer has a field the remote relationships use, is refused with 400.
     */
    private Reply putRemoteSchema(ServerRequest request) {
        String name = param(request, "name");
        RemoteSchemaConfig config = Bodies.named(request, "name", name, RemoteSchemaConfig.class, RemoteSchemaConfig::name, "remote schema");
        return writer.write(request, current -> new Edit(Edits.withRemoteSchema(current, name, config),
                Edit.created(current.remoteSchema(name)), stored -> config));
    }

    /**
     * Refused while remote relationships of tables, or type relationships of other remote schemas,
     * join to it, unless {@code ?cascade=true}, which removes them too.
     */
    private Reply deleteRemoteSchema(ServerRequest request) {
        String name = param(request, "name");
        return writer.write(request, current -> {
            Edits.remoteSchema(current, name);
            RemoteRef deleted = new RemoteSchemaRef(name);
            List<RemoteRef> dependents = Stream.<RemoteRef>concat(RemoteRef.usersOf(current, name).stream(),
                    RemoteRef.typeRelationshipsTo(current, name).stream()).toList();
            List<String> cascaded = dependents.stream().map(RemoteRef::describe).toList();
            Edit.refuseDependents(request, deleted.describe(), cascaded);
            return Edit.deletion(Edits.withRemoteSchema(Edits.withoutRemote(current, dependents), name, null), deleted.describe(), cascaded);
        });
    }
}
