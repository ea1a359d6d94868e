package io.joinery.proxy.schema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One field of a remote relationship's path on the remote: {@code profile(authorId: $id)};
 * {@code arguments} is a JSON object template ({@code "$column"} = the row's value). The last
 * step's {@link JoinForm} says how the keys are sent.
 */
public record RemotePathStep(String field, JsonNode arguments, JoinForm form) {

    public RemotePathStep {
        form = form == null ? JoinForm.PER_KEY : form;
    }

    public RemotePathStep(String field, JsonNode arguments) {
        this(field, arguments, JoinForm.PER_KEY);
    }
}
