package io.joinery.admin.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.joinery.policies.AdminSecret;

import java.util.Optional;

/**
 * The admin secret, the one check of it on the admin listener: a caller that does not present it in
 * {@link #SECRET_HEADER} gets 401 {@code unauthorized}. No secret configured: every caller is admin
 * (the listener is then on loopback only).
 */
public final class AdminAuth {

    /** The header carrying the admin secret. */
    public static final HeaderName SECRET_HEADER = HeaderNames.create("X-Joinery-Admin-Secret");

    private final AdminSecret secret;

    public AdminAuth(Optional<String> adminSecret) {
        this.secret = new AdminSecret(adminSecret);
    }

    /** Whether {@code request} presents the secret (always, when there is none); compared by {@link AdminSecret}. */
    public boolean admits(ServerRequest request) {
        return secret.admits(request.headers().first(SECRET_HEADER).orElse(null));
    }

    /** A filter before routes: admins go on to them, others get 401. */
    public void filter(ServerRequest request, ServerResponse response) {
        if (admits(request)) {
            response.next();
            return;
        }
        refuse(response);
    }

    /** {@code handler} for admins; others get 401. */
    public Handler guard(Handler handler) {
        return (request, response) -> {
            if (admits(request)) {
                handler.handle(request, response);
                return;
            }
            refuse(response);
        };
    }

    private static void refuse(ServerResponse response) {
        Replies.sendError(response, Status.UNAUTHORIZED_401, "unauthorized",
                "this endpoint needs the admin secret in the " + SECRET_HEADER.defaultCase() + " header");
    }
}
