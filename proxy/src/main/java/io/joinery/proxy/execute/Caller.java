package io.joinery.proxy.execute;

import java.util.function.Supplier;

/**
 * The client a request's work is done for, as far as the database stage can tell whether it is
 * still there: see Note [Client disconnects] in {@link Database}. The HTTP stage sets it around the
 * work of one request on the request's own thread; statements run on that thread watch it.
 */
public interface Caller {

    /** Starts watching the client's connection; cheap to call again. */
    void watch();

    /** Whether the client has closed its connection since {@link #watch()}. */
    boolean gone();

    /** No watch: work done for nobody in particular (checks, scripts, other threads). */
    Caller NOBODY = new Caller() {
        @Override
        public void watch() {
        }

        @Override
        public boolean gone() {
            return false;
        }
    };

    /** Runs {@code work} for {@code caller} on this thread. */
    static <T> T during(Caller caller, Supplier<T> work) {
        Caller outer = Holder.CURRENT.get();
        Holder.CURRENT.set(caller);
        try {
            return work.get();
        } finally {
            Holder.CURRENT.set(outer);
        }
    }

    /** The caller whose work runs on this thread, or {@link #NOBODY}. */
    static Caller current() {
        Caller caller = Holder.CURRENT.get();
        return caller == null ? NOBODY : caller;
    }

    final class Holder {
        private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

        private Holder() {
        }
    }
}
