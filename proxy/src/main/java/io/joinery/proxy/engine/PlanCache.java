package io.joinery.proxy.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.joinery.policies.Sha256;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The parsed, validated and compiled operations of one metadata version, for all its roles, within
 * ONE byte budget ({@code JOINERY_PLAN_CACHE_BYTES}). A new metadata version starts an empty one;
 * the old one goes with the old {@link EngineState} once the requests on it finish.
 *
 * <p>Note [Plan cache weight]: an entry weighs what it is estimated to keep on the heap, not 1.
 * Only what validated is kept (a failure is cheap to find again and would let any caller fill the
 * cache), and only documents up to {@link #MAX_CACHED_QUERY_CHARS} (a larger one is parsed on every
 * request: a working set of queries is not made of 64 KB documents, a flood of them is). The key is
 * a SHA-256 of (role, operation name, query): never the text, which may be a megabyte. The weight,
 * {@link ParsedOperation#weight()}, counts what the AST and plans keep: tokens and the characters of
 * names and string literals (from {@link #weigh}, a rough lexer: whitespace and comments are not
 * kept), and each compiled plan's SQL; an entry is weighed again when a plan is added to it. The
 * factors below are measured, not guessed ({@code PlanCacheWeightBenchmark}: heap after a full GC
 * against the estimate, JDK 25): per token the AST kept up to ~100 bytes (3,000 repeated fields,
 * the densest found; a realistic 336-character query kept 5.5 KB with its plan, 16 bytes per
 * character), a string literal ~1 byte per character, a comment nothing. The estimate was 1.2 to
 * 3.9 times the heap for every shape tried: a bound from above, so the budget bounds the heap.
 */
final class PlanCache {

    /** Documents longer than this are not cached: parsed, validated and compiled on each request. */
    static final int MAX_CACHED_QUERY_CHARS = 64 * 1024;
    /** Heap per token of a document: its AST node, source location, lists. */
    static final int BYTES_PER_TOKEN = 96;
    /** Heap per token of a document in each compiled plan (the plan tree built from it). */
    static final int PLAN_BYTES_PER_TOKEN = 24;
    /** Heap per character of a name or string literal (a Java string, kept in the AST and in the plan). */
    static final int BYTES_PER_LITERAL_CHAR = 2;
    /** Heap per SQL character: the text (a byte or two per character) and its parameters. */
    static final int BYTES_PER_SQL_CHAR = 2;
    /** What any entry or plan costs beyond its text: the key, the cache's node, records, small maps. */
    static final int ENTRY_OVERHEAD = 2_048;

    private final Cache<Key, ParsedOperation> operations;

    PlanCache(long maxBytes) {
        this.operations = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Key key, ParsedOperation parsed) -> (int) Math.min(Integer.MAX_VALUE, parsed.weight()))
                // eviction on the writing thread: the budget holds when put returns, and no common pool work
                .executor(Runnable::run)
                .build();
    }

    /**
     * What a document weighs: tokens and the characters of names and string literals count,
     * whitespace and comments do not (the AST keeps neither). A rough lexer, counting {@code ...} as three tokens: over, never under.
     */
    static Weight weigh(String query) {
        long tokens = 0;
        long literal = 0;
        int n = query.length();
        for (int i = 0; i < n; i++) {
            char c = query.charAt(i);
            if (c == '#') {
                while (i + 1 < n && query.charAt(i + 1) != '\n' && query.charAt(i + 1) != '\r') {
                    i++;
                }
            } else if (c == '"') {
                tokens++;
                for (i++; i < n && query.charAt(i) != '"'; i++) {
                    i += query.charAt(i) == '\\' ? 1 : 0;
                    literal++;
                }
            } else if (isNameChar(c)) {
                tokens++;
                literal++;
                while (i + 1 < n && isNameChar(query.charAt(i + 1))) {
                    i++;
                    literal++;
                }
            } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ',' && c != '\uFEFF') {
                tokens++;
            }
        }
        return new Weight(tokens, literal);
    }

    /** A document's tokens, and the characters of its names and string literals. */
    record Weight(long tokens, long literalChars) {

        static final Weight NONE = new Weight(0, 0);

        long document() {
            return ENTRY_OVERHEAD + BYTES_PER_TOKEN * tokens + BYTES_PER_LITERAL_CHAR * literalChars;
        }

        long plan(long sqlChars) {
            return ENTRY_OVERHEAD + PLAN_BYTES_PER_TOKEN * tokens + BYTES_PER_LITERAL_CHAR * literalChars + BYTES_PER_SQL_CHAR * sqlChars;
        }
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /** The key of a query, or null when the document is too large to cache. */
    static Key key(String role, String operationName, String query) {
        if (query.length() > MAX_CACHED_QUERY_CHARS) {
            return null;
        }
        MessageDigest sha256 = Sha256.digest();
        update(sha256, role);
        update(sha256, operationName);
        update(sha256, query);
        ByteBuffer digest = ByteBuffer.wrap(sha256.digest());
        return new Key(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
    }

    /** The cached operation of {@code key}, or null. */
    ParsedOperation get(Key key) {
        return key == null ? null : operations.getIfPresent(key);
    }

    /**
     * Keeps {@code parsed} when it validated and its document is not too large ({@code key} not
     * null); returns the operation to use: one cached meanwhile by a concurrent request, or {@code parsed}.
     */
    ParsedOperation keep(Key key, ParsedOperation parsed) {
        if (key == null || parsed.failure() != null) {
            return parsed;
        }
        ParsedOperation existing = operations.asMap().putIfAbsent(key, parsed);
        return existing != null ? existing : parsed;
    }

    /** Weighs {@code parsed} again after a compiled plan was added to it (it may then evict others, or itself). */
    void reweigh(Key key, ParsedOperation parsed) {
        if (key != null) {
            operations.asMap().replace(key, parsed, parsed);
        }
    }

    /** How many operations are cached. */
    long size() {
        operations.cleanUp();
        return operations.estimatedSize();
    }

    /** Their estimated bytes. */
    long weight() {
        operations.cleanUp();
        return operations.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }

    /** A SHA-256 of (role, operation name, query). */
    record Key(long a, long b, long c, long d) {
    }

    /** Length-prefixed, so ("ab", "c") and ("a", "bc") differ; null apart from "". */
    private static void update(MessageDigest digest, String value) {
        if (value == null) {
            digest.update(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }
}
