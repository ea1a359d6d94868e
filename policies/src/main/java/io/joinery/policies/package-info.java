/**
 * Who is asking. In: request headers (and later JWT claims). Out: a {@link io.joinery.policies.Session}
 * — the role and the {@code x-joinery-*} session variables — or an {@link
 * io.joinery.policies.AccessDenied} refusal. Renders no SQL.
 */
package io.joinery.policies;
