package io.joinery.proxy.embedded;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Where the embedded PostgreSQL's binaries come from: on a class path that holds them (tests, an
 * IDE), from there; else from {@code joinery-embedded-postgres.jar} beside the jar this class was
 * loaded from. Without either, starting the embedded database fails with one line saying what to do.
 *
 * <p>Note [One runnable jar]
 * ~~~~~~~~~~~~~~~~~~~~~~~~~~
 * {@code proxy/target/joinery.jar} is the whole sidecar, its dependencies shaded in (the proxy's
 * pom: Helidon's {@code META-INF/helidon/manifest} and the {@code META-INF/services} files merged,
 * {@code Multi-Release} kept), so that {@code java -jar joinery.jar check ...} works wherever the
 * jar is copied, and an image needs one file. The embedded PostgreSQL's binaries (15 MB, linux
 * x86_64) are the exception: only the demo, with no {@code JOINERY_DATABASE_URL}, uses them, so
 * the build copies zonky's binaries jar beside the jar as {@code joinery-embedded-postgres.jar}
 * instead of into it. The README's run command runs the jar where the build left it, so the demo
 * finds them on a fresh machine; a production image copies the jar alone, and its demo says in one
 * line to set {@code JOINERY_DATABASE_URL}. Looking in {@code ~/.m2} instead was rejected: it ties
 * the run to a Maven cache the build may not have used.
 */
final class PostgresBinaries implements PgBinaryResolver {

    /** The file the build writes beside {@code joinery.jar}. */
    static final String BESIDE_THE_JAR = "joinery-embedded-postgres.jar";

    @Override
    public InputStream getPgBinary(String system, String architecture) throws IOException {
        String name = ("postgres-" + system + "-" + architecture + ".txz").toLowerCase(Locale.ROOT);
        InputStream onClassPath = PostgresBinaries.class.getResourceAsStream("/" + name);
        if (onClassPath != null) {
            return onClassPath;
        }
        Path beside = besideTheJar().orElseThrow(() -> new EmbeddedDatabase.MissingBinaries(
                "the embedded PostgreSQL's binaries are not on the class path: set JOINERY_DATABASE_URL"));
        if (!Files.isReadable(beside)) {
            throw new EmbeddedDatabase.MissingBinaries("JOINERY_DATABASE_URL is not set, and the embedded PostgreSQL for trying Joinery needs "
                    + beside + " (written by the build beside joinery.jar): set JOINERY_DATABASE_URL, or put that file there");
        }
        ZipFile zip = new ZipFile(beside.toFile());
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            zip.close();
            throw new EmbeddedDatabase.MissingBinaries(beside + " has no PostgreSQL for " + system + " " + architecture
                    + " (only linux x86_64 is bundled): set JOINERY_DATABASE_URL");
        }
        return new FilterInputStream(zip.getInputStream(entry)) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    zip.close();
                }
            }
        };
    }

    /** The binaries' jar beside the jar this class was loaded from; empty when it came from a directory. */
    private static Optional<Path> besideTheJar() {
        CodeSource source = PostgresBinaries.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            return Optional.empty();
        }
        try {
            Path location = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(location) ? Optional.of(location.resolveSibling(BESIDE_THE_JAR)) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
