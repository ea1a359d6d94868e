package io.joinery.proxy.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import graphql.language.AstPrinter;
import io.joinery.proxy.plan.JoinSpec;
import io.joinery.proxy.remote.JoinError;
import io.joinery.proxy.remote.RemoteSchema;
import io.joinery.proxy.schema.RemotePathStep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one remote join for all the objects of one level that carry it: the distinct keys of its
 * {@link KeyBatch} go in ONE request — or several concurrent ones when there are more keys than
 * the remote's batch size — in the join's {@link RemoteForm}. Results go back to every object of
 * their key; objects without a key get null (or [] for an array join) without a call; a failed
 * call yields nulls and one error.
 */
final class RemoteJoinCall {

    private RemoteJoinCall() {
    }

    /**
     * The outcome: the number of HTTP calls made, the errors to report, and the requests the remote
     * could not answer (their error is among {@code errors}, reported once, for all their keys).
     */
    record Outcome(int calls, List<JoinError> errors, List<FailedCall> failed) {
    }

    /** A request that failed as a whole: its error, and the indexes of its keys in the {@link KeyBatch}, {@code from} to {@code to} (exclusive). */
    record FailedCall(JoinError error, int from, int to) {
    }

    static Outcome execute(JoinSpec join, RemoteSchema remote, KeyBatch batch, Map<String, Object> variables,
                           Map<String, String> forwardedHeaders, JoinCalls observed) {
        List<List<JsonNode>> keys = batch.keys();
        List<JsonNode> results = new ArrayList<>(Collections.nCopies(keys.size(), NullNode.getInstance()));
        List<JoinError> errors = new ArrayList<>();
        RemoteForm form = RemoteForm.of(join.form());
        int size = remote.config().batch();
        int calls = (keys.size() + size - 1) / size;
        List<JoinChunk> chunks = new ArrayList<>(calls);
        for (int start = 0; start < keys.size(); start += size) {
            chunks.add(new JoinChunk(join, remote, keys.subList(start, Math.min(keys.size(), start + size)), start, variables,
                    forwardedHeaders, results, errors, batch, observed));
        }
        if (calls == 1) {
            form.send(chunks.getFirst());
        } else if (calls > 1) {
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> futures = new ArrayList<>();
                for (JoinChunk chunk : chunks) {
                    futures.add(pool.submit(() -> form.send(chunk)));
                }
                for (Future<?> future : futures) {
                    future.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        batch.stitch(join.alias(), results, () -> join.form().array() ? JsonNodeFactory.instance.arrayNode() : NullNode.getInstance());
        List<FailedCall> failed = new ArrayList<>();
        for (JoinChunk chunk : chunks) {
            if (chunk.failed != null) {
                failed.add(new FailedCall(chunk.failed, chunk.offset, chunk.offset + chunk.keys.size()));
            }
        }
        return new Outcome(calls, errors, failed);
    }

    /** The calls and the request shape of a join, its keys known only at run time. */
    static RemoteForm.Explanation explain(JoinSpec join) {
        String selection = join.selection() == null ? "" : " " + AstPrinter.printAstCompact(join.selection());
        StringBuilder call = new StringBuilder();
        for (RemotePathStep step : join.path()) {
            call.append(call.isEmpty() ? "" : " { ").append(step.field())
                    .append(step.arguments() == null ? "" : "(" + step.arguments() + ")");
        }
        return RemoteForm.of(join.form()).explain(join, call.toString(), selection);
    }
}
