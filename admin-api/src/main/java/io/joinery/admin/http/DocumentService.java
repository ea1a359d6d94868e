package io.joinery.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.check.Catalogs;
import io.joinery.admin.check.ConsistencyChecker;
import io.joinery.admin.check.Inconsistencies;
import io.joinery.admin.hasura.ForeignKeys;
import io.joinery.admin.hasura.HasuraImport;
import io.joinery.admin.hasura.ImportResult;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.MetadataException;
import io.joinery.admin.store.StoredMetadata;

import java.util.Map;

/**
 * The whole document ({@code /metadata}): read as JSON or YAML with its version as the
 * {@code ETag}, replaced with {@code If-Match} (a whole-document write without it would silently
 * undo concurrent resource writes: 428), validated as a dry run, or imported from a Hasura export.
 */
final class DocumentService implements HttpService {

    static final RouteTable<DocumentService> ROUTES = new RouteTable<DocumentService>()
            .reply("/metadata", Method.GET, (service, request) -> document(request, service.documents))
            .reply("/metadata", Method.PUT, DocumentService::putMetadata)
            .reply("/metadata/validate", Method.POST, DocumentService::validate)
            .reply("/metadata/import/hasura", Method.POST, DocumentService::importHasura);

    private final Documents documents;
    private final MetadataWriter writer;
    private final Catalogs catalogs;
    private final ConsistencyChecker checker;

    DocumentService(Documents documents, MetadataWriter writer, Catalogs catalogs, ConsistencyChecker checker) {
        this.documents = documents;
        this.writer = writer;
        this.catalogs = catalogs;
        this.checker = checker;
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
    }

    /** The document in the media type the request accepts best of those {@code documents} offers, JSON by default. */
    static Reply document(ServerRequest request, Documents documents) {
        StoredMetadata stored = documents.current().get();
        boolean yaml = request.headers().bestAccepted(documents.offered().toArray(MediaType[]::new))
                .filter(MediaTypes.APPLICATION_YAML::equals).isPresent();
        return yaml
                ? new Reply(Status.OK_200, MetadataCodec.toYaml(stored.metadata()), documents.etag(stored), MediaTypes.APPLICATION_YAML)
                : new Reply(Status.OK_200, MetadataCodec.toJson(stored.metadata()), documents.etag(stored), MediaTypes.APPLICATION_JSON);
    }

    private Reply putMetadata(ServerRequest request) {
        MetadataWriter.requireVersion(request, "PUT /admin/v1/metadata");
        Metadata next = Bodies.read(request, Metadata.class);
        return writer.write(request, current -> new Edit(next, Status.OK_200, stored -> Map.of("resource_version", stored.resourceVersion())));
    }

    /**
     * Applies a Hasura metadata export (version 3 JSON) like a PUT of the whole document, and lists
     * what could not be mapped. Like Hasura's {@code replace_metadata} it needs no version: a
     * migration replaces what is there, and the scripts that move users over send none; with
     * {@code If-Match} it replaces only the version named. {@code ?dry_run=true} only converts and checks.
     */
    private Reply importHasura(ServerRequest request) {
        boolean dryRun = request.query().first("dry_run").map(Boolean::parseBoolean).orElse(false);
        JsonNode export = Bodies.tree(request);
        ImportResult result;
        try {
            result = HasuraImport.convert(export, ForeignKeys.of(catalogs::read));
        } catch (MetadataException e) {
            throw AdminError.invalidMetadata(e.getMessage());
        }
        if (dryRun) {
            Inconsistencies found = checker.check(result.metadata());
            return Reply.json(Status.OK_200, Bodies.ordered("metadata", MetadataCodec.toTree(result.metadata()),
                    "unmapped", result.unmapped(), "notes", result.notes(), "problems", found.problems()), null);
        }
        return writer.write(request, current -> new Edit(result.metadata(), Status.OK_200,
                stored -> Bodies.ordered("resource_version", stored.resourceVersion(), "unmapped", result.unmapped(), "notes", result.notes())));
    }

    private Reply validate(ServerRequest request) {
        Inconsistencies found = checker.check(Bodies.read(request, Metadata.class));
        return Reply.json(Status.OK_200, Map.of("valid", found.isEmpty(), "problems", found.problems()), null);
    }
}
