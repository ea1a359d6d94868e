package io.joinery.policies.auth;

/**
 * How a caller without the admin secret gets its session, besides the unauthorized role: a JWT
 * ({@link JwtAuthenticator}) or an authentication hook ({@link AuthHook}); at most one of them is
 * configured. Each refuses with {@link io.joinery.policies.AccessDenied}.
 */
public sealed interface Authenticator permits JwtAuthenticator, AuthHook {
}
