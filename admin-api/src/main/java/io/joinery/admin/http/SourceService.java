package io.joinery.admin.http;

import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.check.Dependents;
import io.joinery.admin.check.MetadataObject;
import io.joinery.admin.check.MetadataObject.RelationshipRef;
import io.joinery.admin.check.MetadataObject.SourceRef;
import io.joinery.admin.check.MetadataObject.TableRef;
import io.joinery.admin.check.RemoteRef;
import io.joinery.admin.check.RemoteRef.RemoteTypeRelationshipRef;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.admin.store.StoredMetadata;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.joinery.admin.http.Paths.SOURCE;
import static io.joinery.admin.http.Paths.param;

/**
 * The sources ({@code /sources}, {@code /sources/{source}}): a whole source with its tables. A
 * delete is refused while other sources or remote schemas join to its tables, unless cascaded.
 */
final class SourceService implements HttpService {

    static final RouteTable<SourceService> ROUTES = new RouteTable<SourceService>()
            .reply("/sources", Method.GET, SourceService::sources)
            .reply(SOURCE, Method.GET, SourceService::getSource)
            .reply(SOURCE, Method.PUT, SourceService::putSource)
            .reply(SOURCE, Method.DELETE, SourceService::deleteSource);

    private final MetadataWriter writer;

    SourceService(MetadataWriter writer) {
        this.writer = writer;
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
    }

    private Reply sources(ServerRequest request) {
        StoredMetadata stored = writer.current();
        List<Object> sources = stored.metadata().sources().stream()
                .map(s -> (Object) Bodies.ordered("name", s.name(), "infer_relationships", s.inferRelationships(),
                        "tables", s.tables().stream().map(TableConfig::table).toList()))
                .toList();
        return Reply.json(Status.OK_200, sources, stored.etag());
    }

    private Reply getSource(ServerRequest request) {
        return writer.read(metadata -> Edits.source(metadata, param(request, "source")));
    }

    /**
     * Creates or replaces a whole source, its tables included; the body's {@code name} defaults to
     * the path's. The checks read its database before the write, so an unreachable one, or tables
     * it no longer tracks that others join to, are refused with 400.
     */
    private Reply putSource(ServerRequest request) {
        String name = param(request, "source");
        Source config = Bodies.named(request, "name", name, Source.class, Source::name, "source");
        return writer.write(request, current -> new Edit(Edits.withSource(current, name, config),
                Edit.created(current.source(name)), stored -> config));
    }

    /**
     * Refused while other sources' relationships ({@code source: <name>}) or remote schemas' type
     * relationships join to its tables, unless {@code ?cascade=true}, which removes them (and the
     * permissions through those relationships) too. The default source is never deleted.
     */
    private Reply deleteSource(ServerRequest request) {
        String name = param(request, "source");
        return writer.write(request, current -> {
            Edits.source(current, name);
            if (Source.DEFAULT.equals(name)) {
                throw new AdminError(Status.CONFLICT_409, "default-source",
                        "the default source cannot be deleted; replace it with PUT, or its tables one by one");
            }
            MetadataObject deleted = new SourceRef(name);
            List<MetadataObject> dependents = sourceDependents(current, name);
            List<RemoteTypeRelationshipRef> remoteDependents = RemoteRef.targetingSource(current, name);
            List<String> cascaded = Stream.concat(dependents.stream().map(MetadataObject::describe),
                    remoteDependents.stream().map(RemoteRef::describe)).toList();
            Edit.refuseDependents(request, deleted.describe(), cascaded);
            Metadata next = Edits.withoutRemote(Edits.without(current, dependents), remoteDependents);
            return Edit.deletion(Edits.withSource(next, name, null), deleted.describe(), cascaded);
        });
    }

    /**
     * Other sources' relationships to tables of {@code source}, the permissions whose filters go
     * through them, and custom types' relationships to them.
     */
    private static List<MetadataObject> sourceDependents(Metadata metadata, String source) {
        Set<MetadataObject> relationships = new LinkedHashSet<>();
        Set<MetadataObject> permissions = new LinkedHashSet<>();
        for (Source other : metadata.sources()) {
            if (other.name().equals(source)) {
                continue;
            }
            for (TableConfig table : other.tables()) {
                table.relationships().forEach((name, relationship) -> {
                    if (source.equals(relationship.source())) {
                        relationships.add(new RelationshipRef(new TableRef(other.name(), table.qualifiedName()), name));
                        permissions.addAll(Dependents.ofRelationship(metadata, other.name(), table.qualifiedName(), name));
                    }
                });
            }
        }
        return Stream.of(relationships.stream(), permissions.stream(),
                Dependents.customTypeRelationshipsTo(metadata, source, null).stream()).flatMap(s -> s).toList();
    }
}
