/**
 * Errors in Hasura's shape. In: nothing (every stage depends on it, it depends on none). Out:
 * {@link io.joinery.proxy.error.JoineryException}, thrown by any stage with an
 * {@link io.joinery.proxy.error.ErrorCode} (Hasura's {@code extensions.code}), a path, and internals
 * shown to admins only; {@code response.ResponseWriter} turns it into the answer.
 */
package io.joinery.proxy.error;
