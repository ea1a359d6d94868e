package io.joinery.proxy.engine;

import io.joinery.admin.metadata.Metadata;
import io.joinery.proxy.execute.Database;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.schema.SchemaModel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything one metadata version serves: the resolved model, the databases of its sources, and
 * per-role schemas built on first use, and one plan cache for all roles. Immutable apart from those caches; a metadata
 * change builds a new state off the request path and swaps it in.
 *
 * <p>A state is held by the engine while it is served and by each request running on it; once
 * swapped out and left by its last request it is retired, and runs {@link #whenRetired} (which
 * releases its remote clients: Note [Remote clients' lifetime] in {@code RemoteSchemaClients}).
 */
public final class EngineState {

    private final long version;
    private final Metadata metadata;
    private final SchemaModel model;
    private final Map<String, Database> databases;
    private final PlanCache plans;
    private final ConcurrentHashMap<String, RoleSchema> roles = new ConcurrentHashMap<>();
    /** The engine's hold (until swapped out or discarded) and one per request running on it. */
    private final AtomicInteger holds = new AtomicInteger(1);
    private volatile Runnable retired = () -> {
    };

    /** {@code planCacheBytes}: the budget of the plan cache (all roles of this version together). */
    public EngineState(long version, Metadata metadata, SchemaModel model, Map<String, Database> databases, long planCacheBytes) {
        this.version = version;
        this.metadata = metadata;
        this.model = model;
        this.databases = Map.copyOf(databases);
        this.plans = new PlanCache(planCacheBytes);
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

    /** What to do once the state is retired: swapped out (or discarded) and left by its last request. */
    public void whenRetired(Runnable action) {
        this.retired = action;
    }

    /** A request's hold; false once the state is retired (the request takes the newer state). */
    boolean hold() {
        for (int n = holds.get(); n > 0; n = holds.get()) {
            if (holds.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Drops a hold: a request's when it ends, or the engine's when it swaps the state out or it is never served. */
    public void release() {
        if (holds.decrementAndGet() == 0) {
            retired.run();
        }
    }

    RoleSchema role(String role) {
        return roles.computeIfAbsent(role, r -> new RoleSchema(new RoleAccess(r, model)));
    }

    /** The role as a metric tag: only roles the metadata knows, so a client cannot grow the number of series. */
    String roleTag(String role) {
        if (RoleAccess.ADMIN.equals(role) || roles.containsKey(role)
                || model.allTables().stream().anyMatch(t -> t.selectPermissions().containsKey(role))) {
            return role;
        }
        return "unknown";
    }

    PlanCache plans() {
        return plans;
    }

    /** How many operations the plan cache holds (all roles). */
    public long cachedOperations() {
        return plans.size();
    }

    /** The plan cache's estimated bytes (all roles), within {@code planCacheBytes}. */
    public long cachedBytes() {
        return plans.weight();
    }

    /** The GraphQL schema a role sees (for SDL export and tests). */
    public graphql.schema.GraphQLSchema schema(String role) {
        return role(role).schema;
    }
}
