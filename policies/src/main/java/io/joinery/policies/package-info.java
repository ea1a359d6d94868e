/**
 * Who is asking. In: request headers (the admin secret, and through {@code auth} a JWT or an
 * authentication hook). Out: a {@link io.joinery.policies.Session} — the role and the
 * {@code x-joinery-*} session variables — or an {@link io.joinery.policies.AccessDenied} refusal.
 * {@link io.joinery.policies.AdminSecret} is the one comparison with the admin secret. Renders no SQL.
 */
package io.joinery.policies;
