package io.joinery.admin.http;

import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.Status;

/**
 * One answer of the admin listener, before {@link Replies#send} writes it: the status, the body (an
 * object written as JSON, or a text sent as it is), the {@code ETag} of the version it shows (null:
 * none) and the media type.
 */
public record Reply(Status status, Object body, String etag, MediaType type) {

    public static Reply json(Status status, Object body, String etag) {
        return new Reply(status, body, etag, MediaTypes.APPLICATION_JSON);
    }
}
