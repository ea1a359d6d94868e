package io.joinery.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.metadata.AllowlistEntry;
import io.joinery.admin.metadata.IntrospectionOptions;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.QueryCollection;

import java.util.List;
import java.util.Optional;

import static io.joinery.admin.http.Paths.param;

/**
 * What may run and who may introspect: the query collections ({@code /query-collections}), the
 * allowlist of collections ({@code /allowlist}, the whole list) and the roles introspection is
 * disabled for ({@code /introspection}). A collection the allowlist lists is deleted only with
 * {@code ?cascade=true}, which takes it off the list too.
 */
final class AllowlistService implements HttpService {

    static final String QUERY_COLLECTIONS = "/query-collections";
    static final String ALLOWLIST = "/allowlist";
    static final String INTROSPECTION = "/introspection";

    static final RouteTable<AllowlistService> ROUTES = new RouteTable<AllowlistService>()
            .reply(QUERY_COLLECTIONS, Method.GET, AllowlistService::collections)
            .reply(QUERY_COLLECTIONS + "/{name}", Method.GET, AllowlistService::getCollection)
            .reply(QUERY_COLLECTIONS + "/{name}", Method.PUT, AllowlistService::putCollection)
            .reply(QUERY_COLLECTIONS + "/{name}", Method.DELETE, AllowlistService::deleteCollection)
            .reply(ALLOWLIST, Method.GET, AllowlistService::allowlist)
            .reply(ALLOWLIST, Method.PUT, AllowlistService::putAllowlist)
            .reply(INTROSPECTION, Method.GET, AllowlistService::introspection)
            .reply(INTROSPECTION, Method.PUT, AllowlistService::putIntrospection);

    private final MetadataWriter writer;

    AllowlistService(MetadataWriter writer) {
        this.writer = writer;
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
    }

    private Reply collections(ServerRequest request) {
        return writer.read(Metadata::queryCollections);
    }

    private Reply getCollection(ServerRequest request) {
        return writer.read(metadata -> collection(metadata, param(request, "name"))
                .orElseThrow(() -> AdminError.notFound("query collection '" + param(request, "name") + "' does not exist")));
    }

    /** Creates or replaces a collection; the body's {@code name} defaults to the path's. */
    private Reply putCollection(ServerRequest request) {
        String name = param(request, "name");
        QueryCollection collection = Bodies.named(request, "name", name, QueryCollection.class, QueryCollection::name, "query collection");
        return writer.write(request, current -> new Edit(withCollection(current, name, collection),
                Edit.created(collection(current, name)), stored -> collection));
    }

    private Reply deleteCollection(ServerRequest request) {
        String name = param(request, "name");
        return writer.write(request, current -> {
            if (collection(current, name).isEmpty()) {
                throw AdminError.notFound("query collection '" + name + "' does not exist");
            }
            String deleted = "query collection " + name;
            List<String> dependents = current.allowlist().stream().filter(entry -> entry.collection().equals(name))
                    .map(entry -> "allowlist entry " + name).toList();
            Edit.refuseDependents(request, deleted, dependents);
            List<AllowlistEntry> rest = current.allowlist().stream().filter(entry -> !entry.collection().equals(name)).toList();
            return Edit.deletion(withCollection(with(current, "allowlist", rest), name, null), deleted, dependents);
        });
    }

    private Reply allowlist(ServerRequest request) {
        return writer.read(Metadata::allowlist);
    }

    /** Replaces the whole list: a JSON array of {@code {collection, roles}}. */
    private Reply putAllowlist(ServerRequest request) {
        JsonNode body = Bodies.tree(request);
        if (!body.isArray()) {
            throw AdminError.invalidMetadata("the allowlist is a list of {collection, roles}");
        }
        return writer.write(request, current -> {
            Metadata next = with(current, "allowlist", body);
            return new Edit(next, Status.OK_200, stored -> next.allowlist());
        });
    }

    private Reply introspection(ServerRequest request) {
        return writer.read(metadata -> Optional.ofNullable(metadata.introspection()).orElse(IntrospectionOptions.none()));
    }

    /** Replaces {@code {disabled_for_roles}}. */
    private Reply putIntrospection(ServerRequest request) {
        IntrospectionOptions options = Bodies.read(request, IntrospectionOptions.class);
        return writer.write(request, current -> new Edit(with(current, "graphql_schema_introspection", options), Status.OK_200,
                stored -> options));
    }

    private static Optional<QueryCollection> collection(Metadata metadata, String name) {
        return metadata.queryCollections().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Replaces in place or adds at the end ({@code collection} non-null) or removes (null) one collection. */
    private static Metadata withCollection(Metadata metadata, String name, QueryCollection collection) {
        ObjectNode document = (ObjectNode) MetadataCodec.toTree(metadata);
        ArrayNode collections = document.withArrayProperty("query_collections");
        int index = collection(metadata, name).map(metadata.queryCollections()::indexOf).orElse(-1);
        if (collection == null) {
            collections.remove(index);
        } else if (index >= 0) {
            collections.set(index, MetadataCodec.toTree(collection));
        } else {
            collections.add(MetadataCodec.toTree(collection));
        }
        return Bodies.convert(document, Metadata.class);
    }

    /** The document with one top-level key replaced; the result is checked as any document is. */
    private static Metadata with(Metadata metadata, String key, Object value) {
        ObjectNode document = (ObjectNode) MetadataCodec.toTree(metadata);
        document.set(key, value instanceof JsonNode node ? node : MetadataCodec.toTree(value));
        return Bodies.convert(document, Metadata.class);
    }
}
