/**
 * Responses. In: the JSON Postgres returned per root field (records and values, see
 * Note [Rows from Postgres, JSON from the sidecar] in {@link io.joinery.proxy.response.ResultTranscoder})
 * with the {@link io.joinery.proxy.response.ResultShape} the compiler made for it, and the few values
 * the engine makes itself. Out: the response body in Hasura's shape, written in one streaming pass.
 */
package io.joinery.proxy.response;
