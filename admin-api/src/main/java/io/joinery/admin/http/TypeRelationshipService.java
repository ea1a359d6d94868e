package io.joinery.admin.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.check.RemoteRef;
import io.joinery.admin.check.RemoteRef.RemoteTypeRelationshipRef;
import io.joinery.admin.metadata.RemoteSchemaConfig;
import io.joinery.admin.metadata.TypeRelationship;

import java.util.List;
import java.util.Optional;

import static io.joinery.admin.http.Paths.TYPE_RELATIONSHIPS;
import static io.joinery.admin.http.Paths.param;

/** The relationships of a remote schema's types, to tables or remote schemas ({@code /remote-schemas/{name}/relationships}). */
final class TypeRelationshipService implements HttpService {

    static final RouteTable<TypeRelationshipService> ROUTES = new RouteTable<TypeRelationshipService>()
            .reply(TYPE_RELATIONSHIPS, Method.GET, TypeRelationshipService::typeRelationships)
            .reply(TYPE_RELATIONSHIPS + "/{type}/{relationship}", Method.GET, TypeRelationshipService::getTypeRelationship)
            .reply(TYPE_RELATIONSHIPS + "/{type}/{relationship}", Method.PUT, TypeRelationshipService::putTypeRelationship)
            .reply(TYPE_RELATIONSHIPS + "/{type}/{relationship}", Method.DELETE, TypeRelationshipService::deleteTypeRelationship);

    private final MetadataWriter writer;

    TypeRelationshipService(MetadataWriter writer) {
        this.writer = writer;
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
    }

    /** Type → relationship name → relationship, as the remote schema's {@code relationships}. */
    private Reply typeRelationships(ServerRequest request) {
        return writer.read(metadata -> Edits.remoteSchema(metadata, param(request, "name")).relationships());
    }

    private Reply getTypeRelationship(ServerRequest request) {
        return writer.read(metadata -> Edits.typeRelationship(metadata, param(request, "name"), param(request, "type"), param(request, "relationship")));
    }

    /**
     * Creates or replaces one relationship of a remote schema's type, to a table or to a remote
     * schema. The engine's checks introspect the remote before the write, so a type or field it
     * does not have is refused with 400.
     */
    private Reply putTypeRelationship(ServerRequest request) {
        String remote = param(request, "name");
        String type = param(request, "type");
        String relationship = param(request, "relationship");
        TypeRelationship definition = Bodies.read(request, TypeRelationship.class);
        return writer.write(request, current -> {
            RemoteSchemaConfig config = Edits.remoteSchema(current, remote);
            Optional<TypeRelationship> existing = Optional.ofNullable(config.relationships().get(type)).map(r -> r.get(relationship));
            return new Edit(Edits.withTypeRelationship(current, remote, type, relationship, definition), Edit.created(existing),
                    stored -> definition);
        });
    }

    /** Nothing in the document refers to a type relationship: it is deleted without dependents; the type's entry goes with its last one. */
    private Reply deleteTypeRelationship(ServerRequest request) {
        String remote = param(request, "name");
        String type = param(request, "type");
        String relationship = param(request, "relationship");
        return writer.write(request, current -> {
            Edits.typeRelationship(current, remote, type, relationship);
            RemoteRef deleted = new RemoteTypeRelationshipRef(remote, type, relationship);
            return Edit.deletion(Edits.withTypeRelationship(current, remote, type, relationship, null), deleted.describe(), List.of());
        });
    }
}
