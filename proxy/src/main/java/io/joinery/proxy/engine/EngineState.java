package io.joinery.proxy.engine;

import io.joinery.admin.metadata.Action;
import io.joinery.admin.metadata.Metadata;
import io.joinery.proxy.action.transform.ActionTransforms;
import io.joinery.proxy.action.transform.TransformException;
import io.joinery.proxy.execute.Database;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.schema.SchemaModel;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
    /** The served actions' transforms, compiled once for this version (Note [Transform context] in ActionTransforms). */
    private final Map<String, ActionTransforms> actionTransforms;
    private final Map<String, Database> databases;
    private final PlanCache plans;
    private final ConcurrentHashMap<String, RoleSchema> roles = new ConcurrentHashMap<>();
    /** The roles the metadata names (and admin): only these get a schema, a plan cache key and a metric tag of their own. */
    private final Set<String> knownRoles;
    private final Allowlist allowlist;
    /** The roles that may not select {@code __schema} or {@code __type}. */
    private final Set<String> introspectionDisabled;
    /** What every other role gets (Note [Unknown roles]), built on first use. */
    private volatile RoleSchema unknown;
    /** The engine's hold (until swapped out or discarded) and one per request running on it. */
    private final AtomicInteger holds = new AtomicInteger(1);
    private volatile Runnable retired = () -> {
    };

    /**
     * {@code planCacheBytes}: the budget of the plan cache (all roles of this version together);
     * {@code allowlistEnabled}: whether only the metadata's allowlist runs ({@link Allowlist}).
     */
    public EngineState(long version, Metadata metadata, SchemaModel model, Map<String, Database> databases, long planCacheBytes,
                       boolean allowlistEnabled) {
        this.version = version;
        this.metadata = metadata;
        this.model = model;
        this.databases = Map.copyOf(databases);
        this.plans = new PlanCache(planCacheBytes);
        this.allowlist = Allowlist.of(metadata, allowlistEnabled);
        this.introspectionDisabled = Set.copyOf(metadata.introspectionDisabledFor());
        this.knownRoles = knownRoles(metadata, model, allowlist.roles());
        this.actionTransforms = actionTransforms(metadata, model);
    }

    /**
     * The transforms of the actions the model serves, compiled. The consistency checks leave out an
     * action whose templates do not parse, so none fails here; if one did, its action would fail each
     * call with the reason rather than the whole version.
     */
    private static Map<String, ActionTransforms> actionTransforms(Metadata metadata, SchemaModel model) {
        Map<String, ActionTransforms> compiled = new HashMap<>();
        Set<String> served = new HashSet<>();
        model.actions().all().forEach(action -> served.add(action.name()));
        for (Action action : metadata.actions()) {
            if (!served.contains(action.name()) || (action.requestTransform() == null && action.responseTransform() == null)) {
                continue;
            }
            try {
                compiled.put(action.name(), ActionTransforms.compile(action.requestTransform(), action.responseTransform()));
            } catch (TransformException e) {
                compiled.put(action.name(), ActionTransforms.failing(e));
            }
        }
        return Map.copyOf(compiled);
    }

    /** The served actions' compiled transforms, by action name; an action without transforms is absent. */
    public Map<String, ActionTransforms> actionTransforms() {
        return actionTransforms;
    }

    /**
     * Note [Unknown roles]: a role the metadata does not name (no permission of any table, no
     * action, no remote schema) gets the schema of a role without permissions: no tables, no
     * functions, no remote schemas ({@code no_queries_available}). It is built once and shared
     * by every such role under one name ({@link RoleAccess#UNKNOWN}, not a valid role name, so no
     * real role shares it). So a client sending made-up roles (a JWT's claims, an
     * {@code x-joinery-role} header) creates no schema, plan cache entry or metric series of its
     * own: the role map and the metric tags stay bounded by the metadata.
     */
    private static Set<String> knownRoles(Metadata metadata, SchemaModel model, Set<String> allowlisted) {
        Set<String> known = new HashSet<>();
        known.add(RoleAccess.ADMIN);
        model.allTables().forEach(table -> known.addAll(table.selectPermissions().keySet()));
        metadata.sources().forEach(source -> source.tables().forEach(table -> known.addAll(table.permissions().keySet())));
        metadata.actions().forEach(action -> known.addAll(action.roles()));
        metadata.remoteSchemas().forEach(remote -> known.addAll(remote.permissions().keySet()));
        metadata.inheritedRoles().forEach(role -> known.add(role.roleName()));
        known.addAll(allowlisted);
        known.addAll(metadata.introspectionDisabledFor());
        return Set.copyOf(known);
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

    /**
     * The schema a role sees, with its {@code backend_only} permissions for a {@code backend} request
     * (Note [Backend-only permissions] in {@code RoleAccess}); every role the metadata does not know
     * shares the empty one (Note [Unknown roles]).
     */
    RoleSchema role(String role, boolean backend) {
        if (backend && knownRoles.contains(role)) {
            // A name no role can have (role names hold no space), so the two schemas of a role do not meet.
            return roles.computeIfAbsent(role + " (backend-only)", r -> new RoleSchema(new RoleAccess(role, model, true)));
        }
        return role(role);
    }

    /** The schema a role sees; every role the metadata does not know shares the empty one (Note [Unknown roles]). */
    RoleSchema role(String role) {
        if (knownRoles.contains(role)) {
            return roles.computeIfAbsent(role, r -> new RoleSchema(new RoleAccess(r, model)));
        }
        RoleSchema empty = unknown;
        if (empty == null) {
            synchronized (this) {
                empty = unknown;
                if (empty == null) {
                    empty = new RoleSchema(RoleAccess.unknown(model));
                    unknown = empty;
                }
            }
        }
        return empty;
    }

    /** The role as a metric tag: only roles the metadata knows, so a client cannot grow the number of series. */
    String roleTag(String role) {
        return knownRoles.contains(role) ? role : "unknown";
    }

    /** How many role schemas this version has built (the shared one of unknown roles not counted). */
    public int builtRoleSchemas() {
        return roles.size();
    }

    Allowlist allowlist() {
        return allowlist;
    }

    boolean introspectionDisabled(String role) {
        return introspectionDisabled.contains(role);
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
