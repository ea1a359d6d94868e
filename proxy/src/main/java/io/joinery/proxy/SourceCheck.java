package io.joinery.proxy;

/**
 * How one source of the metadata stands, for readiness and the start (Note [Start and stop] in
 * {@link Sidecar}): it answers, it does not (waited for at start, not ready after), or it has no
 * usable URL (an unset {@code from_env}, a malformed URL: an inconsistency the build reports and
 * leaves out, which waiting cannot mend).
 */
sealed interface SourceCheck {

    /** Whether readiness and the start wait for this source. */
    default boolean unanswered() {
        return this instanceof Unanswered;
    }

    /** The text of {@code /health/ready}'s {@code sources}. */
    String describe();

    record Answers() implements SourceCheck {
        @Override
        public String describe() {
            return "answers";
        }
    }

    record Unanswered(String why) implements SourceCheck {
        @Override
        public String describe() {
            return "does not answer: " + why;
        }
    }

    record Unconfigured(String why) implements SourceCheck {
        @Override
        public String describe() {
            return "left out: " + why;
        }
    }
}
