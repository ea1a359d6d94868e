package io.joinery.admin.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.check.Dependents;
import io.joinery.admin.check.MetadataObject;
import io.joinery.admin.check.MetadataObject.ComputedFieldRef;
import io.joinery.admin.check.MetadataObject.TableRef;
import io.joinery.admin.metadata.ComputedField;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.TableConfig;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static io.joinery.admin.http.Paths.COMPUTED_FIELDS;
import static io.joinery.admin.http.Paths.param;
import static io.joinery.admin.http.Paths.table;

/** A table's computed fields ({@code .../tables/{table}/computed-fields}). */
final class ComputedFieldService implements HttpService {

    static final RouteTable<ComputedFieldService> ROUTES = new RouteTable<ComputedFieldService>()
            .reply(COMPUTED_FIELDS, Method.GET, ComputedFieldService::computedFields)
            .reply(COMPUTED_FIELDS + "/{name}", Method.GET, ComputedFieldService::getComputedField)
            .reply(COMPUTED_FIELDS + "/{name}", Method.PUT, ComputedFieldService::putComputedField)
            .reply(COMPUTED_FIELDS + "/{name}", Method.DELETE, ComputedFieldService::deleteComputedField);

    private final MetadataWriter writer;

    ComputedFieldService(MetadataWriter writer) {
        this.writer = writer;
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
    }

    private Reply computedFields(ServerRequest request) {
        return writer.read(metadata -> Edits.table(metadata, param(request, "source"), table(request)).computedFields());
    }

    private Reply getComputedField(ServerRequest request) {
        return writer.read(metadata -> Edits.computedField(Edits.table(metadata, param(request, "source"), table(request)), param(request, "name")));
    }

    /** The checks read its function from the database before the write: one that does not fit the table is refused with 400. */
    private Reply putComputedField(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String field = param(request, "name");
        ComputedField definition = Bodies.read(request, ComputedField.class);
        return writer.write(request, current -> {
            TableConfig table = Edits.table(current, source, name);
            return new Edit(Edits.withTable(current, source, name, Edits.withComputedField(table, field, definition)),
                    Edit.created(Optional.ofNullable(table.computedFields().get(field))), stored -> definition);
        });
    }

    /**
     * Refused while select permissions list it in {@code computed_fields} or permissions' filters or
     * checks use it, unless {@code ?cascade=true}, which takes it out of those lists and removes the
     * permissions that use it, as for a relationship.
     */
    private Reply deleteComputedField(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String field = param(request, "name");
        return writer.write(request, current -> {
            Edits.computedField(Edits.table(current, source, name), field);
            MetadataObject deleted = new ComputedFieldRef(new TableRef(source, name), field);
            List<MetadataObject> users = Dependents.ofComputedField(current, source, name, field);
            List<String> dependents = Stream.concat(Dependents.permittingComputedField(current, source, name, field).stream(), users.stream())
                    .map(MetadataObject::describe).distinct().toList();
            Edit.refuseDependents(request, deleted.describe(), dependents);
            return Edit.deletion(Edits.without(Edits.without(current, users), List.of(deleted)), deleted.describe(), dependents);
        });
    }
}
