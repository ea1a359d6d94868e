package io.joinery.admin.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.check.ConsistencyChecker;
import io.joinery.admin.check.Problem;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.store.MetadataStore;
import io.joinery.admin.store.StoredMetadata;
import io.joinery.admin.store.VersionConflict;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Reads and writes of the document for the resource routes. Every write is read–modify–write on
 * the store: the next document is built from the current one, checked against the live databases
 * (a change that adds problems is refused with 400 {@code inconsistent-metadata}) and written only
 * if the store still holds the version it was built from. With {@code If-Match} a moved version is
 * a 412; without, the write is retried on the newer version. A committed write is answered once
 * the engine beside it serves it (Note [Read your writes] in {@link Serving}).
 */
final class MetadataWriter {

    private static final System.Logger LOG = System.getLogger(MetadataWriter.class.getName());
    private static final int WRITE_ATTEMPTS = 10;

    private final MetadataStore store;
    private final ConsistencyChecker checker;
    private final Serving serving;
    private final Duration serveTimeout;
    private final ReentrantLock writes = new ReentrantLock(true);

    /** @param serving the engine that serves what is written, or null (tools, tests): nothing to wait for */
    MetadataWriter(MetadataStore store, ConsistencyChecker checker, Serving serving, Duration serveTimeout) {
        this.store = store;
        this.checker = checker;
        this.serving = serving;
        this.serveTimeout = serveTimeout;
    }

    /** The version the store holds now. */
    StoredMetadata current() {
        return store.current();
    }

    /** Answers a view of the current document, with its version as the {@code ETag}. */
    Reply read(Function<Metadata, Object> view) {
        StoredMetadata stored = store.current();
        return Reply.json(Status.OK_200, view.apply(stored.metadata()), stored.etag());
    }

    /** The next document {@code edit} makes of the current one, checked, written and served. */
    Reply write(ServerRequest request, Function<Metadata, Edit> edit) {
        Written written;
        writes.lock(); // writes through this sidecar queue up; other sidecars' writes are caught by the version check
        try {
            written = write(ifMatch(request), edit);
        } finally {
            writes.unlock();
        }
        return serve(written);
    }

    /** A committed write (or one that changed nothing): the version the store holds after it, and the answer. */
    private record Written(StoredMetadata stored, Status status, Object body) {
    }

    private Written write(OptionalLong expected, Function<Metadata, Edit> edit) {
        for (int attempt = 1; ; attempt++) {
            StoredMetadata current = store.current();
            if (expected.isPresent() && expected.getAsLong() != current.resourceVersion()) {
                throw AdminError.stale(current.resourceVersion());
            }
            Edit change = edit.apply(current.metadata());
            if (change.next().equals(current.metadata())) {
                return new Written(current, change.status(), change.body().apply(current));
            }
            List<Problem> problems = checker.newProblems(current.metadata(), change.next());
            if (!problems.isEmpty()) {
                throw new AdminError(Status.BAD_REQUEST_400, "inconsistent-metadata",
                        "the change would make the metadata inconsistent: " + problems.getFirst().message()
                                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""),
                        Map.of("problems", problems));
            }
            switch (store.replace(change.next(), OptionalLong.of(current.resourceVersion()))) {
                case StoredMetadata stored -> {
                    return new Written(stored, change.status(), change.body().apply(stored));
                }
                case VersionConflict conflict -> {
                    if (expected.isPresent()) {
                        throw AdminError.stale(conflict.actual());
                    }
                    if (attempt == WRITE_ATTEMPTS) {
                        throw new AdminError(Status.CONFLICT_409, "concurrent-change", "the metadata kept changing during the write; try again");
                    }
                    backOff(attempt);
                }
            }
        }
    }

    /**
     * Answers {@code written} once this sidecar serves its version (Note [Read your writes] in
     * {@link Serving}): the engine builds it now, on its own thread, and the answer waits at most
     * {@code serveTimeout}. Past that, or if the build failed, the write stays committed and the
     * answer is 202 {@code not-yet-served}; the build goes on, and NOTIFY delivers the version again.
     * A write that changed nothing waits too: the version it names may be one another sidecar wrote.
     */
    private Reply serve(Written written) {
        StoredMetadata stored = written.stored();
        Reply reply = Reply.json(written.status(), written.body(), stored.etag());
        if (serving == null || serving.served().resourceVersion() >= stored.resourceVersion()) {
            return reply;
        }
        CompletableFuture<Void> build = CompletableFuture.runAsync(() -> serving.serve(stored),
                task -> Thread.ofVirtual().name("joinery-admin-serve-" + stored.resourceVersion()).start(task));
        try {
            build.get(serveTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return notYetServed(stored, "this sidecar did not serve it within " + serveTimeout.toMillis()
                    + " ms (building its schema takes longer); it does when the build ends");
        } catch (ExecutionException e) {
            LOG.log(Level.ERROR, "serving metadata resource version " + stored.resourceVersion() + " failed", e.getCause());
            return notYetServed(stored, "this sidecar could not build its schema (its log has the details); it keeps serving version "
                    + serving.served().resourceVersion() + " until a reload or the next change");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return notYetServed(stored, "the sidecar is shutting down");
        }
        long served = serving.served().resourceVersion();
        return served >= stored.resourceVersion() ? reply
                : notYetServed(stored, "this sidecar still serves version " + served);
    }

    private static Reply notYetServed(StoredMetadata stored, String why) {
        return Reply.json(Status.ACCEPTED_202, Bodies.ordered("code", "not-yet-served",
                "message", "the change is committed as resource version " + stored.resourceVersion() + ", but " + why,
                "resource_version", stored.resourceVersion()), stored.etag());
    }

    /**
     * A whole-document write must name the version it replaces: without {@code If-Match} it would
     * silently undo resource writes made since the client read the document. {@code *} names no
     * version, so it does not do either.
     */
    static void requireVersion(ServerRequest request, String write) {
        Optional<String> header = request.headers().first(HeaderNames.IF_MATCH).map(String::strip);
        if (header.isPresent() && !header.get().equals("*")) {
            return;
        }
        throw new AdminError(Status.PRECONDITION_REQUIRED_428, "precondition-required",
                write + " replaces the whole document, so it needs If-Match with the resource version it replaces:"
                        + " GET /admin/v1/metadata, edit that document, and send it back with If-Match set to the ETag"
                        + " of the GET (e.g. If-Match: \"12\"); a version that moved meanwhile is refused with 412."
                        + " To change one object, PUT or DELETE its resource instead");
    }

    /** Another sidecar wrote first: wait a little, at random, so that the two do not collide again. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * attempt + 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminError(Status.SERVICE_UNAVAILABLE_503, "interrupted", "the sidecar is shutting down");
        }
    }

    /**
     * {@code If-Match: "12"}: the version a write expects; absent or {@code *}: any (resource writes
     * only; see {@link #requireVersion}). An unreadable tag matches nothing.
     */
    private static OptionalLong ifMatch(ServerRequest request) {
        Optional<String> header = request.headers().first(HeaderNames.IF_MATCH).map(String::strip);
        if (header.isEmpty() || header.get().equals("*")) {
            return OptionalLong.empty();
        }
        String tag = header.get().startsWith("W/") ? header.get().substring(2) : header.get();
        try {
            return OptionalLong.of(Long.parseLong(tag.replace("\"", "").strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.of(-1);
        }
    }
}
