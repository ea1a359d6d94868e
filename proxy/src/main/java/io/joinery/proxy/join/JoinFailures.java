package io.joinery.proxy.join;

import io.joinery.proxy.remote.JoinError;
import io.joinery.telemetry.LogFormat;
import io.joinery.telemetry.RequestObservation;

import java.util.List;

/**
 * A remote call or join that failed, told to operators: its span (the current one) is marked
 * failed with the first error's message, and one warning line with the request's trace id says what
 * failed and why (the remote's URL and the cause underneath included: logs are for operators).
 */
final class JoinFailures {

    private static final String LOGGER = JoinStage.class.getName();

    private JoinFailures() {
    }

    /** {@code what}: the call or join, e.g. {@code remote join 'profile' to remote schema 'profiles' (level 1)}. */
    static void report(RequestObservation observation, String what, List<JoinError> errors) {
        if (errors.isEmpty()) {
            return;
        }
        JoinError first = errors.getFirst();
        observation.currentSpanFailed(JoinError.CODE, first.message());
        LogFormat.warning(LOGGER, observation.traceId(), what + " failed: " + first.message()
                + (first.internal() == null ? "" : " (" + first.internal() + ")")
                + (errors.size() > 1 ? "; " + (errors.size() - 1) + " more error(s)" : ""));
    }
}
