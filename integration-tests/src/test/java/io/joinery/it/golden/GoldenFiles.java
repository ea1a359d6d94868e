package io.joinery.it.golden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The expected outputs of the golden cases, {@code golden/expected/<case>.<stage>}: compared exactly,
 * a mismatch reported as a {@link UnifiedDiff} per file; or, in update mode ({@code -Dgolden.update=true}),
 * rewritten from what the case produced.
 */
final class GoldenFiles {

    private final Path directory;
    private final boolean update;

    GoldenFiles(Path directory, boolean update) {
        this.directory = directory;
        this.update = update;
    }

    /** Each of {@code outputs} (file suffix → text) against {@code <case>.<suffix>}; all differences in one failure. */
    void check(String caseName, Map<String, String> outputs) {
        List<String> differences = new ArrayList<>();
        outputs.forEach((suffix, actual) -> {
            Path file = directory.resolve(caseName + "." + suffix);
            if (update) {
                write(file, actual);
                return;
            }
            String expected = Files.exists(file) ? read(file) : null;
            if (expected == null) {
                differences.add("missing " + file + " (run with -Dgolden.update=true to write it); the case produced:\n" + actual);
            } else if (!expected.equals(actual)) {
                differences.add(UnifiedDiff.of("expected/" + file.getFileName(), expected, "actual", actual));
            }
        });
        if (!differences.isEmpty()) {
            fail(caseName + ": the output differs from its golden file (review the diff; if the change is intended, "
                    + "rerun with -Dgolden.update=true and review the rewritten files)\n" + String.join("\n", differences));
        }
    }

    /** The expected files whose case is not among {@code caseNames}; in update mode they are deleted. */
    List<Path> orphans(List<String> caseNames) {
        List<Path> orphans = new ArrayList<>();
        try (var files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                int dot = name.indexOf('.');
                if (dot < 0 || !caseNames.contains(name.substring(0, dot))) {
                    orphans.add(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (update) {
            orphans.forEach(GoldenFiles::delete);
            return List.of();
        }
        return orphans;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
