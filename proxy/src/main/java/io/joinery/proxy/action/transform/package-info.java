/**
 * Hasura's action transforms (REST connectors), compiled once per metadata version: in, an action's
 * {@code request_transform}/{@code response_transform} ({@link io.joinery.proxy.action.transform.ActionTransforms#compile})
 * and, per call, the default handler request and the handler's answer; out, the request to send
 * (method, URL, headers, body) and the answer the engine reads. Pure: no I/O, no shared state.
 */
package io.joinery.proxy.action.transform;
