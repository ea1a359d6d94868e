package io.joinery.telemetry;

import java.util.Locale;

/** How one call of a join ended: the {@code outcome} tag of {@code joinery.join.calls}. */
public enum CallOutcome {
    SUCCESS, ERROR, TIMEOUT;

    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
