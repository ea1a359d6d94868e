package io.joinery.admin.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.check.Dependents;
import io.joinery.admin.check.MetadataObject;
import io.joinery.admin.check.MetadataObject.RelationshipRef;
import io.joinery.admin.check.MetadataObject.TableRef;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.TableConfig;

import java.util.List;
import java.util.Optional;

import static io.joinery.admin.http.Paths.RELATIONSHIP;
import static io.joinery.admin.http.Paths.TABLE;
import static io.joinery.admin.http.Paths.param;
import static io.joinery.admin.http.Paths.table;

/** A table's relationships to tables ({@code .../tables/{table}/relationships}). */
final class RelationshipService implements HttpService {

    static final RouteTable<RelationshipService> ROUTES = new RouteTable<RelationshipService>()
            .reply(TABLE + "/relationships", Method.GET, RelationshipService::relationships)
            .reply(RELATIONSHIP, Method.GET, RelationshipService::getRelationship)
            .reply(RELATIONSHIP, Method.PUT, RelationshipService::putRelationship)
            .reply(RELATIONSHIP, Method.DELETE, RelationshipService::deleteRelationship);

    private final MetadataWriter writer;

    RelationshipService(MetadataWriter writer) {
        this.writer = writer;
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
    }

    private Reply relationships(ServerRequest request) {
        return writer.read(metadata -> Edits.table(metadata, param(request, "source"), table(request)).relationships());
    }

    private Reply getRelationship(ServerRequest request) {
        return writer.read(metadata -> relationship(metadata, request));
    }

    private Reply putRelationship(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String relationship = param(request, "name");
        Relationship definition = Bodies.read(request, Relationship.class);
        return writer.write(request, current -> {
            TableConfig table = Edits.table(current, source, name);
            return new Edit(Edits.withTable(current, source, name, Edits.withRelationship(table, relationship, definition)),
                    Edit.created(Optional.ofNullable(table.relationships().get(relationship))), stored -> definition);
        });
    }

    private Reply deleteRelationship(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String relationship = param(request, "name");
        return writer.write(request, current -> {
            TableConfig table = Edits.table(current, source, name);
            relationship(current, request);
            MetadataObject deleted = new RelationshipRef(new TableRef(source, name), relationship);
            List<MetadataObject> dependents = Dependents.ofRelationship(current, source, name, relationship);
            Edit.refuseDependents(request, deleted.describe(), Edit.names(dependents));
            Metadata next = Edits.without(current, dependents);
            TableConfig remaining = Edits.table(next, source, name);
            return Edit.deletion(Edits.withTable(next, source, name, Edits.withRelationship(remaining, relationship, null)),
                    deleted.describe(), Edit.names(dependents));
        });
    }

    private static Relationship relationship(Metadata metadata, ServerRequest request) {
        String name = param(request, "name");
        TableConfig table = Edits.table(metadata, param(request, "source"), table(request));
        return Optional.ofNullable(table.relationships().get(name))
                .orElseThrow(() -> AdminError.notFound("table '" + table.table() + "' has no relationship '" + name + "'"));
    }
}
