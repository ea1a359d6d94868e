package io.joinery.proxy.engine;

import graphql.language.AstPrinter;
import graphql.language.Document;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import io.joinery.admin.metadata.AllowlistEntry;
import io.joinery.admin.metadata.CollectionQuery;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.QueryCollection;
import io.joinery.proxy.schema.RoleAccess;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The documents each role may run when the allowlist is enabled ({@code JOINERY_ENABLE_ALLOWLIST},
 * Hasura's {@code HASURA_GRAPHQL_ENABLE_ALLOWLIST}): those of the query collections the metadata's
 * {@code allowlist} lists for every role or for it. The admin runs anything. Documents are compared
 * normalized: printed compactly by graphql-java ({@link AstPrinter#printAstCompact}), so whitespace,
 * commas and comments do not count, while names, aliases, arguments and their order do.
 */
final class Allowlist {

    private static final Allowlist OFF = new Allowlist(false, Set.of(), Map.of());

    private final boolean enabled;
    private final Set<String> global;
    private final Map<String, Set<String>> byRole;

    private Allowlist(boolean enabled, Set<String> global, Map<String, Set<String>> byRole) {
        this.enabled = enabled;
        this.global = Set.copyOf(global);
        this.byRole = Map.copyOf(byRole);
    }

    static Allowlist of(Metadata metadata, boolean enabled) {
        if (!enabled) {
            return OFF;
        }
        Map<String, QueryCollection> collections = new HashMap<>();
        metadata.queryCollections().forEach(collection -> collections.put(collection.name(), collection));
        Set<String> global = new HashSet<>();
        Map<String, Set<String>> byRole = new HashMap<>();
        for (AllowlistEntry entry : metadata.allowlist()) {
            List<String> documents = collections.get(entry.collection()).queries().stream()
                    .map(CollectionQuery::query).map(query -> normalized(Parser.parse(query))).toList();
            if (entry.global()) {
                global.addAll(documents);
            }
            entry.roles().forEach(role -> byRole.computeIfAbsent(role, r -> new HashSet<>()).addAll(documents));
        }
        byRole.replaceAll((role, documents) -> Set.copyOf(documents));
        return new Allowlist(true, global, byRole);
    }

    /** The roles the allowlist names (they are roles the metadata knows). */
    Set<String> roles() {
        return byRole.keySet();
    }

    /**
     * Whether the role may run {@code query}. A document that does not parse is let through, to
     * fail in the parser with its own message ({@code parse.OperationParser}, which also holds it
     * to the token limit this parse has too: graphql-java's default, the same 15,000).
     */
    boolean allows(RoleAccess access, String query) {
        if (!enabled || access.admin()) {
            return true;
        }
        Document document;
        try {
            document = Parser.parse(query);
        } catch (InvalidSyntaxException e) {
            return true; // the parser of the request refuses it, with its message (too many tokens included)
        }
        String text = normalized(document);
        return global.contains(text) || byRole.getOrDefault(access.role(), Set.of()).contains(text);
    }

    private static String normalized(Document document) {
        return AstPrinter.printAstCompact(document);
    }
}
