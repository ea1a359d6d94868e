package io.joinery.proxy.engine;

import io.joinery.admin.metadata.Metadata;
import io.joinery.proxy.execute.Database;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.schema.SchemaModel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything one metadata version serves: the resolved model, the databases of its sources, and
 * per-role schemas and caches built on first use. Immutable apart from those caches; a metadata
 * change builds a new state off the request path and swaps it in.
 */
public final class EngineState {

    private final long version;
    private final Metadata metadata;
    private final SchemaModel model;
    private final Map<String, Database> databases;
    private final int cacheSize;
    private final ConcurrentHashMap<String, RoleSchema> roles = new ConcurrentHashMap<>();

    public EngineState(long version, Metadata metadata, SchemaModel model, Map<String, Database> databases, int cacheSize) {
        this.version = version;
        this.metadata = metadata;
        this.model = model;
        this.databases = Map.copyOf(databases);
        this.cacheSize = cacheSize;
    }

    public long version() {
        return version;
    }

    public Metadata metadata() {
        return metadata;
    }

    public SchemaModel model() {
        return model;
    }

    public Map<String, Database> databases() {
        return databases;
    }

    RoleSchema role(String role) {
        return roles.computeIfAbsent(role, r -> new RoleSchema(new RoleAccess(r, model), cacheSize));
    }

    /** The role as a metric tag: only roles the metadata knows, so a client cannot grow the number of series. */
    String roleTag(String role) {
        if (RoleAccess.ADMIN.equals(role) || roles.containsKey(role)
                || model.allTables().stream().anyMatch(t -> t.selectPermissions().containsKey(role))) {
            return role;
        }
        return "unknown";
    }

    /** The GraphQL schema a role sees (for SDL export and tests). */
    public graphql.schema.GraphQLSchema schema(String role) {
        return role(role).schema;
    }
}
