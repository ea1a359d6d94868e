package io.joinery.proxy;

import io.joinery.admin.metadata.Metadata;
import io.joinery.proxy.config.JoineryConfig;
import io.joinery.proxy.embedded.EmbeddedDatabase;

import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * The database of the default source and the metadata a new store starts with: those of
 * {@code JOINERY_DATABASE_URL} and an empty document, or without it an embedded PostgreSQL with the
 * demo dataset and its metadata (for trying Joinery, not for production).
 *
 * @param embedded the embedded database, to close with the sidecar; null when the URL is configured
 */
record DefaultDatabase(String url, Metadata seed, EmbeddedDatabase embedded) {

    private static final System.Logger LOGGER = System.getLogger(Sidecar.class.getName());

    /** {@code embeddedSeed}: the metadata an embedded database's new store starts with (the demo command's, or the demo tables'). */
    static DefaultDatabase of(JoineryConfig config, Supplier<Metadata> embeddedSeed) {
        if (config.databaseUrl().isPresent()) {
            return new DefaultDatabase(config.databaseUrl().get(), Metadata.empty(), null);
        }
        EmbeddedDatabase embedded = EmbeddedDatabase.start(null);
        embedded.loadDemo();
        LOGGER.log(Level.INFO, "JOINERY_DATABASE_URL is not set: serving the demo dataset and metadata"
                + " from an embedded PostgreSQL on port " + embedded.port() + " (for trying Joinery, not for production)");
        return new DefaultDatabase(embedded.url(), embeddedSeed.get(), embedded);
    }
}
