package io.joinery.admin.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The admin secret, the one check of it on the admin listener: a caller that does not present it in
 * {@link #SECRET_HEADER} gets 401 {@code unauthorized}. No secret configured: every caller is admin
 * (the listener is then on loopback only).
 */
public final class AdminAuth {

    /** The header carrying the admin secret. */
    public static final HeaderName SECRET_HEADER = HeaderNames.create("X-Joinery-Admin-Secret");

    private final Optional<byte[]> secretDigest;

    public AdminAuth(Optional<String> adminSecret) {
        this.secretDigest = adminSecret.filter(s -> !s.isEmpty()).map(AdminAuth::digest);
    }

    /** Whether {@code request} presents the secret (always, when there is none). */
    public boolean admits(ServerRequest request) {
        return secretDigest.isEmpty() || request.headers().first(SECRET_HEADER).map(AdminAuth::digest)
                .filter(given -> MessageDigest.isEqual(given, secretDigest.get())).isPresent();
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

    /** Hashing both sides first makes the comparison constant-time in the secret's length too. */
    private static byte[] digest(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
