package io.joinery.it.golden;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.JsonTrees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One golden case: a file {@code golden/cases/NN-name.graphql} whose leading comment lines say who
 * asks and in which world, and whose rest is the operation sent:
 *
 * <pre>
 * # Nested relationships: each author's articles and each article's author.   (any other comment: the description)
 * # world: queries                    the fixture it runs in ({@link GoldenWorld.Kind})
 * # role: user                        optional: sent as x-joinery-role, with the admin secret
 * # headers: {"x-joinery-user-id": "3"}   optional: more request headers (JSON)
 * # anonymous: true                   optional: no admin secret (the unauthorized role)
 * # variables: {"id": 2}              optional (JSON)
 * # status: 400                       optional, default 200
 * # unordered: sql                    optional: the statements run concurrently; compared sorted
 * query { ... }
 * </pre>
 */
record GoldenCase(String name, String description, GoldenWorld.Kind world, Map<String, String> headers, boolean anonymous,
                  JsonNode variables, int status, boolean unorderedSql, String query) {

    private static final Set<String> KEYS = Set.of("world", "role", "headers", "anonymous", "variables", "status", "unordered");

    /** Every case of {@code directory}, in name order. */
    static List<GoldenCase> all(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".graphql")).sorted().map(GoldenCase::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GoldenCase read(Path file) {
        String fileName = file.getFileName().toString();
        String name = fileName.substring(0, fileName.length() - ".graphql".length());
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> description = new ArrayList<>();
        int body = 0;
        for (; body < lines.size() && lines.get(body).startsWith("#"); body++) {
            String comment = lines.get(body).substring(1).strip();
            int colon = comment.indexOf(':');
            String key = colon < 0 ? "" : comment.substring(0, colon).strip();
            if (KEYS.contains(key)) {
                settings.put(key, comment.substring(colon + 1).strip());
            } else {
                description.add(comment);
            }
        }
        String query = String.join("\n", lines.subList(body, lines.size())).strip() + "\n";
        if (!settings.containsKey("world")) {
            throw new IllegalArgumentException(fileName + ": no '# world:' line");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (settings.containsKey("role")) {
            headers.put("x-joinery-role", settings.get("role"));
        }
        if (settings.containsKey("headers")) {
            JsonTrees.parse(settings.get("headers")).properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
        }
        String unordered = settings.getOrDefault("unordered", "");
        if (!unordered.isEmpty() && !unordered.equals("sql")) {
            throw new IllegalArgumentException(fileName + ": '# unordered:' takes 'sql', got '" + unordered + "'");
        }
        return new GoldenCase(name, String.join(" ", description), GoldenWorld.Kind.named(settings.get("world")), Map.copyOf(headers),
                Boolean.parseBoolean(settings.getOrDefault("anonymous", "false")),
                JsonTrees.parse(settings.getOrDefault("variables", "{}")),
                Integer.parseInt(settings.getOrDefault("status", "200")), unordered.equals("sql"), query);
    }

    @Override
    public String toString() {
        return name;
    }
}
