package io.joinery.admin.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.check.Dependents;
import io.joinery.admin.check.MetadataObject;
import io.joinery.admin.check.MetadataObject.TableRef;
import io.joinery.admin.check.RemoteRef;
import io.joinery.admin.check.RemoteRef.RemoteTypeRelationshipRef;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.TableConfig;

import java.util.List;
import java.util.stream.Stream;

import static io.joinery.admin.http.Paths.TABLE;
import static io.joinery.admin.http.Paths.TABLES;
import static io.joinery.admin.http.Paths.param;
import static io.joinery.admin.http.Paths.table;

/** The tracked tables of a source ({@code /sources/{source}/tables}), each with all of its configuration. */
final class TableService implements HttpService {

    static final RouteTable<TableService> ROUTES = new RouteTable<TableService>()
            .reply(TABLES, Method.GET, TableService::tables)
            .reply(TABLE, Method.GET, TableService::getTable)
            .reply(TABLE, Method.PUT, TableService::putTable)
            .reply(TABLE, Method.DELETE, TableService::deleteTable);

    private final MetadataWriter writer;

    TableService(MetadataWriter writer) {
        this.writer = writer;
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
    }

    private Reply tables(ServerRequest request) {
        return writer.read(metadata -> Edits.source(metadata, param(request, "source")).tables());
    }

    private Reply getTable(ServerRequest request) {
        return writer.read(metadata -> Edits.table(metadata, param(request, "source"), table(request)));
    }

    private Reply putTable(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        TableConfig config = Bodies.named(request, "table", name.toString(), TableConfig.class,
                table -> table.qualifiedName().toString(), "table");
        return writer.write(request, current -> new Edit(Edits.withTable(current, source, name, config),
                Edit.created(Edits.source(current, source).table(name)), stored -> config));
    }

    private Reply deleteTable(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        return writer.write(request, current -> {
            Edits.table(current, source, name);
            MetadataObject deleted = new TableRef(source, name);
            List<MetadataObject> dependents = Dependents.ofTable(current, source, name);
            List<RemoteTypeRelationshipRef> remoteDependents = RemoteRef.targeting(current, source, name);
            List<String> cascaded = Stream.concat(dependents.stream().map(MetadataObject::describe),
                    remoteDependents.stream().map(RemoteRef::describe)).toList();
            Edit.refuseDependents(request, deleted.describe(), cascaded);
            Metadata next = Edits.withoutRemote(Edits.without(current, dependents), remoteDependents);
            return Edit.deletion(Edits.withTable(next, source, name, null), deleted.describe(), cascaded);
        });
    }
}
