package io.joinery.it.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Dockerfile cannot be built on these machines (no Docker): what can be checked without building
 * it is checked here. It is multi-stage, its last stage runs on a jlink-ed runtime (no JDK) as a
 * non-root user, its JVM gets the launcher's defaults before JAVA_OPTS, and the AOT cache it makes
 * is made with the runtime it ships (a cache fits only the runtime that wrote it).
 */
class DockerfileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theImageRunsTheJarOnItsOwnRuntimeAsNonRootWithTheLaunchersDefaults() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        List<String> stages = lines(dockerfile, "^FROM (\\S+)");
        assertEquals(2, stages.size(), "a build stage and the runtime's: " + stages);
        assertTrue(stages.getFirst().contains("-jdk"), stages.toString());
        assertFalse(stages.getLast().contains("jdk"), "no JDK in the image: " + stages);
        String last = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        assertTrue(last.contains("COPY --from=build /runtime /opt/java"), "the jlink-ed runtime:\n" + last);
        assertTrue(dockerfile.contains("aot-cache.sh /app/joinery.jar /app/joinery.aot /runtime/bin/java"),
                "the AOT cache is made with the runtime the image ships, at the jar's path in the image");
        assertTrue(dockerfile.contains("rm /app/joinery-embedded-postgres.jar"), "no embedded PostgreSQL in the image");

        List<String> users = lines(last, "^USER (\\S+)");
        assertEquals(1, users.size(), last);
        int uid = Integer.parseInt(users.getFirst().split(":")[0]);
        assertTrue(uid > 0, "a numeric non-root user (runAsNonRoot can check it): " + users);
        assertTrue(last.indexOf("\nUSER ") < last.indexOf("\nENTRYPOINT "), "the user is set before the entrypoint");

        String launcher = Files.readString(ROOT.resolve("joinery"));
        String defaults = String.join(" ", setting(launcher, "JVM_DEFAULTS"), setting(launcher, "JVM_DEFAULTS_22"), setting(launcher, "JVM_AOT"));
        assertEquals(defaults, setting(dockerfile.replace("ENV JOINERY_JVM_DEFAULTS", "\nJOINERY_JVM_DEFAULTS"), "JOINERY_JVM_DEFAULTS"),
                "the image's JVM defaults are the launcher's (Java 25)");
        String entrypoint = lines(last, "^ENTRYPOINT (.+)").getFirst();
        assertTrue(entrypoint.indexOf("$JOINERY_JVM_DEFAULTS") < entrypoint.indexOf("-XX:AOTCache=/app/joinery.aot")
                && entrypoint.indexOf("-XX:AOTCache=/app/joinery.aot") < entrypoint.indexOf("$JAVA_OPTS")
                && entrypoint.indexOf("$JAVA_OPTS") < entrypoint.indexOf("-jar /app/joinery.jar"),
                "defaults, the cache, then JAVA_OPTS (which win), then the jar: " + entrypoint);
    }

    private static List<String> lines(String text, String regex) {
        Matcher matcher = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        return matcher.results().map(result -> result.group(1)).toList();
    }

    /** A shell assignment {@code NAME="value"} at a line's start. */
    private static String setting(String text, String name) {
        List<String> values = lines(text, "^" + name + "=\"([^\"]*)\"");
        assertEquals(1, values.size(), name + " once: " + values);
        return values.getFirst();
    }
}
