/**
 * The HTTP edge. In: requests on the GraphQL listener ({@code /v1/graphql}, {@code /v1/graphql/explain}).
 * Out: Hasura-shaped JSON responses. Reads the body, resolves the session from headers, hands each
 * operation to the engine; malformed bodies are answered here with a clear 400.
 */
package io.joinery.proxy.http;
