package io.joinery.proxy.join;

import io.joinery.proxy.plan.JoinSpec;
import io.joinery.proxy.schema.JoinForm;

/**
 * How the keys of one remote join travel to its remote and how its answer comes back to them —
 * one implementation per {@link JoinForm}: one aliased field per key ({@link PerKeyJoin}), one list
 * argument ({@link ListArgumentJoin}), or {@code _entities} representations ({@link EntitiesJoin}).
 * Each sends one chunk of distinct keys in ONE request and puts each key's value, and the errors,
 * into the chunk; deduplication and stitching are the {@link KeyBatch}'s.
 */
sealed interface RemoteForm permits PerKeyJoin, ListArgumentJoin, EntitiesJoin {

    static RemoteForm of(JoinForm form) {
        return switch (form) {
            case JoinForm.PerKey perKey -> new PerKeyJoin();
            case JoinForm.ListArgument list -> new ListArgumentJoin(list);
            case JoinForm.Entities entities -> new EntitiesJoin(entities);
        };
    }

    /** Sends the chunk's keys in one request; a failure leaves their values null and adds errors. */
    void send(JoinChunk chunk);

    /**
     * For {@code /v1/graphql/explain}: the calls the join makes and the shape of its request, its
     * keys known only at run time; {@code call} is the remote path as nested fields with their
     * argument templates, {@code selection} the client's selection (with a leading space) or empty.
     */
    Explanation explain(JoinSpec join, String call, String selection);

    /** How a join will call its remote: the calls it makes and the shape of its request. */
    record Explanation(String calls, String query) {
    }
}
