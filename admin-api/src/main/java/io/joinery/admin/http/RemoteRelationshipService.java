package io.joinery.admin.http;

import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.check.MetadataObject.TableRef;
import io.joinery.admin.check.RemoteRef;
import io.joinery.admin.check.RemoteRef.RemoteRelationshipRef;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.RemoteRelationship;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.admin.store.StoredMetadata;

import java.util.List;
import java.util.Optional;

import static io.joinery.admin.http.Paths.REMOTE_RELATIONSHIPS;
import static io.joinery.admin.http.Paths.param;
import static io.joinery.admin.http.Paths.table;

/** A table's remote relationships, to remote schemas ({@code .../tables/{table}/remote-relationships}). */
final class RemoteRelationshipService implements HttpService {

    static final RouteTable<RemoteRelationshipService> ROUTES = new RouteTable<RemoteRelationshipService>()
            .reply(REMOTE_RELATIONSHIPS, Method.GET, RemoteRelationshipService::remoteRelationships)
            .reply(REMOTE_RELATIONSHIPS + "/{name}", Method.GET, RemoteRelationshipService::getRemoteRelationship)
            .reply(REMOTE_RELATIONSHIPS + "/{name}", Method.PUT, RemoteRelationshipService::putRemoteRelationship)
            .reply(REMOTE_RELATIONSHIPS + "/{name}", Method.DELETE, RemoteRelationshipService::deleteRemoteRelationship);

    private final MetadataWriter writer;

    RemoteRelationshipService(MetadataWriter writer) {
        this.writer = writer;
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
    }

    private Reply remoteRelationships(ServerRequest request) {
        StoredMetadata stored = writer.current();
        return Reply.json(Status.OK_200, Edits.table(stored.metadata(), param(request, "source"), table(request)).remoteRelationships(),
                stored.etag());
    }

    private Reply getRemoteRelationship(ServerRequest request) {
        return writer.read(metadata -> {
            TableConfig table = Edits.table(metadata, param(request, "source"), table(request));
            return Edits.remoteRelationship(table, param(request, "name"));
        });
    }

    private Reply putRemoteRelationship(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String relationship = param(request, "name");
        RemoteRelationship definition = Bodies.read(request, RemoteRelationship.class);
        return writer.write(request, current -> {
            TableConfig table = Edits.table(current, source, name);
            return new Edit(Edits.withTable(current, source, name, Edits.withRemoteRelationship(table, relationship, definition)),
                    Edit.created(Optional.ofNullable(table.remoteRelationships().get(relationship))), stored -> definition);
        });
    }

    /** Nothing in the document refers to a remote relationship: it is deleted without dependents. */
    private Reply deleteRemoteRelationship(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String relationship = param(request, "name");
        return writer.write(request, current -> {
            TableConfig table = Edits.table(current, source, name);
            Edits.remoteRelationship(table, relationship);
            RemoteRef deleted = new RemoteRelationshipRef(new TableRef(source, name), relationship);
            return Edit.deletion(Edits.withTable(current, source, name, Edits.withRemoteRelationship(table, relationship, null)),
                    deleted.describe(), List.of());
        });
    }
}
