package io.joinery.admin.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.admin.metadata.AllowlistEntry;
import io.joinery.admin.metadata.CollectionQuery;
import io.joinery.admin.metadata.IntrospectionOptions;
import io.joinery.admin.metadata.MetadataException;
import io.joinery.admin.metadata.QueryCollection;
import io.joinery.policies.RoleNames;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Hasura's {@code query_collections} ({@code {name, definition: {queries: [{name, query}]}}}),
 * {@code allowlist} ({@code {collection, scope: {global, roles}}}) and
 * {@code graphql_schema_introspection} as Joinery's. A query that does not parse, a role that is no
 * role name, and an allowlist entry of a collection left out are listed as unmapped, not dropped.
 */
final class AllowlistImport {

    private final UnmappedCollector unmapped;
    private final Set<String> collections = new HashSet<>();

    AllowlistImport(UnmappedCollector unmapped) {
        this.unmapped = unmapped;
    }

    List<QueryCollection> collections(JsonNode list) {
        List<QueryCollection> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode collection = list.get(i);
            String name = UnmappedCollector.itemName(collection, i);
            String path = "query_collections[" + name + "]";
            List<CollectionQuery> queries = new ArrayList<>();
            JsonNode items = collection.path("definition").path("queries");
            for (int j = 0; j < items.size(); j++) {
                JsonNode query = items.get(j);
                try {
                    queries.add(new CollectionQuery(TableImport.text(query.path("name")), TableImport.text(query.path("query"))));
                } catch (MetadataException e) {
                    unmapped.add(path + ".queries[" + UnmappedCollector.itemName(query, j) + "]", "query", e.getMessage());
                }
            }
            try {
                out.add(new QueryCollection(TableImport.text(collection.path("name")), queries));
                collections.add(name);
            } catch (MetadataException e) {
                unmapped.add(path, "query collection '" + name + "'", e.getMessage());
            }
            unmapped.rest(collection, path, Set.of("name", "definition"));
        }
        return out;
    }

    List<AllowlistEntry> allowlist(JsonNode list) {
        List<AllowlistEntry> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String name = UnmappedCollector.itemName(entry, i);
            String path = "allowlist[" + name + "]";
            if (!collections.contains(name)) {
                unmapped.add(path, "allow-list collection '" + name + "'", "its query collection was not imported");
                continue;
            }
            JsonNode scope = entry.path("scope");
            List<String> roles = new ArrayList<>();
            if (scope.path("global").isBoolean() && !scope.path("global").booleanValue()) {
                scope.path("roles").forEach(role -> roles.add(role.asText()));
                if (roles.isEmpty() || !roles.stream().allMatch(RoleNames::isValid)) {
                    unmapped.add(path, "allow-list collection '" + name + "'", "its roles are not role names (" + RoleNames.RULE + ")");
                    continue;
                }
            }
            out.add(new AllowlistEntry(name, roles));
            unmapped.rest(entry, path, Set.of("collection", "scope"));
        }
        return out;
    }

    IntrospectionOptions introspection(JsonNode options) {
        List<String> roles = new ArrayList<>();
        options.path("disabled_for_roles").forEach(role -> {
            if (RoleNames.isValid(role.asText())) {
                roles.add(role.asText());
            } else {
                unmapped.add("graphql_schema_introspection.disabled_for_roles", "role '" + role.asText() + "'",
                        "not a role name (" + RoleNames.RULE + ")");
            }
        });
        unmapped.rest(options, "graphql_schema_introspection", Set.of("disabled_for_roles"));
        return new IntrospectionOptions(roles);
    }
}
