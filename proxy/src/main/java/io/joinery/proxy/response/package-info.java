/**
 * Responses. In: the JSON texts Postgres built per root field, and the few values the engine makes
 * itself. Out: the response body in Hasura's shape. Postgres' JSON is spliced in as it is, never
 * parsed and written again.
 */
package io.joinery.proxy.response;
