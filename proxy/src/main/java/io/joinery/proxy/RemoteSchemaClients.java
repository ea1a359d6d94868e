package io.joinery.proxy;

import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.RemoteSchemaConfig;
import io.joinery.proxy.remote.RemoteClient;
import io.joinery.proxy.remote.RemoteClients;
import io.joinery.proxy.remote.RemoteSchema;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The clients of the remote schemas the sidecar serves, by name (Note [Remote clients' lifetime]),
 * and the throwaway clients of checks.
 */
final class RemoteSchemaClients implements AutoCloseable {

    private final Map<String, String> env;
    private final long maxResponseBytes;
    /** The clients serving remote schemas, by name: Note [Remote clients' lifetime]. */
    private final Map<String, ConfiguredClient> clients = new ConcurrentHashMap<>();

    RemoteSchemaClients(Map<String, String> env, long maxResponseBytes) {
        this.env = env;
        this.maxResponseBytes = maxResponseBytes;
    }

    /*
     * Note [Remote clients' lifetime]
     * A remote schema's client (its connection pool) belongs to the states that serve it. `clients`
     * holds the current client of each remote schema of the metadata, made anew when its
     * configuration changes; each state built to be served holds the clients of its remote schemas
     * too (RemoteClient.retain), and releases them once it is retired: swapped out (or discarded
     * unserved) and left by the last request running on it (EngineState). The last release closes a
     * client, so a request never meets a closed one. Checks and dry runs (the admin API, the
     * read-only `?live=true` report) introspect through a throwaway client of their own, closed
     * after it: they cost the served clients nothing and cannot close them.
     */

    /**
     * Introspects a remote schema for a state to be served, through its current client, made anew
     * when its configuration changed; the state holds the client (released when it is retired).
     * Called only while building a state (serialised by {@link EngineStates}' lock, or before the engine starts).
     */
    RemoteSchema introspectServed(RemoteSchemaConfig config) {
        RemoteClient client = clients.compute(config.name(), (name, existing) -> {
            if (existing != null && existing.config().equals(config)) {
                return existing;
            }
            ConfiguredClient made = new ConfiguredClient(config, RemoteClients.create(config, env::get, maxResponseBytes));
            if (existing != null) {
                // The states serving it keep it open until they are retired.
                existing.client().release();
            }
            return made;
        }).client();
        RemoteSchema schema = RemoteSchema.introspect(config, client);
        client.retain();
        return schema;
    }

    /** Releases the current clients of remote schemas the metadata no longer has. */
    void dropClientsExcept(Metadata metadata) {
        Set<String> names = metadata.remoteSchemas().stream().map(RemoteSchemaConfig::name).collect(Collectors.toSet());
        clients.keySet().removeIf(name -> {
            if (names.contains(name)) {
                return false;
            }
            clients.get(name).client().release();
            return true;
        });
    }

    /**
     * Introspects a remote schema for a check through a client of its own, closed after it; the
     * schema's client is then closed too (checks only read the schema).
     */
    RemoteSchema introspect(RemoteSchemaConfig config) {
        try (RemoteClient client = RemoteClients.create(config, env::get, maxResponseBytes)) {
            return RemoteSchema.introspect(config, client);
        }
    }

    @Override
    public void close() {
        clients.values().forEach(c -> c.client().close());
    }

    private record ConfiguredClient(RemoteSchemaConfig config, RemoteClient client) {
    }
}
