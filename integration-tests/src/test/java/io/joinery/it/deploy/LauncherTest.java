package io.joinery.it.deploy;

import io.joinery.it.support.JarProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./joinery} runs the jar with the sidecar's JVM defaults and a cache of the classes a start
 * loads: on Java 25+ the AOT cache that {@code ./mvnw package} wrote beside the jar, which this JVM (the
 * build's) must accept as it is ({@code -XX:AOTMode=on} refuses to start otherwise) and without a
 * warning; before 25, a CDS archive the JVM writes itself (README "Deploy").
 */
class LauncherTest {

    private static final Path LAUNCHER = Path.of("..", "joinery").toAbsolutePath().normalize();

    @Test
    void theLauncherStartsTheJarWithItsDefaultsAndTheCacheTheBuildMade() throws Exception {
        Path jar = JarProcess.jar();
        String printed = run(List.of("bash", LAUNCHER.toString(), "--jvm-options")).strip();
        List<String> words = List.of(printed.split(" "));
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toRealPath(), Path.of(words.getFirst()).toRealPath(),
                "the launcher picks JAVA_HOME's java: " + printed);
        List<String> options = words.subList(1, words.size());
        assertTrue(options.containsAll(List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx128m", "-XX:+ExitOnOutOfMemoryError")), printed);
        if (Runtime.version().feature() < 25) {
            assertTrue(options.contains("-XX:+AutoCreateSharedArchive"), "before Java 25, a CDS archive: " + printed);
            return;
        }
        Path cache = jar.resolveSibling("joinery.aot");
        assertTrue(options.contains("-XX:AOTCache=" + cache), "the build's AOT cache: " + printed);
        assertTrue(Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) > 0, "the cache is newer than the jar");
        List<String> command = new ArrayList<>(words);
        command.addAll(List.of("-XX:AOTMode=on", "-jar", jar.toString(), "help"));
        String output = run(command);
        assertTrue(output.contains("usage: java -jar joinery.jar"), output);
        assertFalse(output.contains("[warning]") || output.contains("[error]"), "the JVM takes the cache without a word:\n" + output);
    }

    /** Runs {@code command} with this JVM as JAVA_HOME; its output, once it exited 0. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("joinery-launcher-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("JOINERY_") || name.equals("JAVA_OPTS"));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process process = builder.start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ends within 60 s: " + command);
            String output = Files.readString(log);
            assertEquals(0, process.exitValue(), command + ":\n" + output);
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
