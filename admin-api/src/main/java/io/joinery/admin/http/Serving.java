package io.joinery.admin.http;

import io.joinery.admin.check.Served;
import io.joinery.admin.store.StoredMetadata;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The engine beside an admin API: what it serves, and a way to serve a version the API has just
 * committed. Note [Read your writes]: the admin API answers a write only after {@link #serve}
 * returned (or a bound passed), so a client that got its 200 or 201 is served the change by the
 * same sidecar on its next query; the other sidecars of the fleet follow through the store's NOTIFY.
 */
public interface Serving {

    /** The version served now and what its schema leaves out. */
    Served served();

    /**
     * Builds and serves {@code committed}, blocking until it is served; returns at once when a
     * version at least as new is served already. The store's NOTIFY delivers the same version
     * later, and the engine ignores it then, so the two paths may race freely.
     */
    void serve(StoredMetadata committed);

    static Serving of(Supplier<Served> served, Consumer<StoredMetadata> serve) {
        Objects.requireNonNull(served, "served");
        Objects.requireNonNull(serve, "serve");
        return new Serving() {
            @Override
            public Served served() {
                return served.get();
            }

            @Override
            public void serve(StoredMetadata committed) {
                serve.accept(committed);
            }
        };
    }
}
