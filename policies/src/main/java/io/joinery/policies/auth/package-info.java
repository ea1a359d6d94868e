/**
 * Who a caller without the admin secret is. In: the request's headers (and, for a POST hook, its
 * body). Out: a {@link io.joinery.policies.Session} from a verified JWT
 * ({@link io.joinery.policies.auth.JwtAuthenticator}: a fixed key or a JWK set fetched and cached
 * by {@link io.joinery.policies.auth.JwksSource}) or from the authentication hook's answer
 * ({@link io.joinery.policies.auth.AuthHook}, cached per credentials), or an
 * {@link io.joinery.policies.AccessDenied} with Hasura's code. Signatures are checked by nimbus
 * (and the JDK for EdDSA), never by code of ours.
 */
package io.joinery.policies.auth;
