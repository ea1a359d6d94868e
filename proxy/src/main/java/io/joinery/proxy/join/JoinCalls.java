package io.joinery.proxy.join;

import io.joinery.telemetry.CallOutcome;
import io.joinery.telemetry.JoinTags;
import io.joinery.telemetry.RequestObservation;
import io.joinery.telemetry.SpanParent;

/**
 * Where the calls of one join report: the request's observation, the join's span (calls of a join
 * with several chunks run on threads of their own, so they are given it), and the join's tags.
 */
record JoinCalls(RequestObservation observation, SpanParent span, JoinTags tags) {

    /** One call of the join ended: {@code keys} distinct keys, started at {@code startNanos}. */
    void ended(int keys, long startNanos, CallOutcome outcome) {
        observation.joinCall(tags, keys, System.nanoTime() - startNanos, outcome);
    }
}
