/**
 * Import of Hasura v2 metadata. In: a Hasura metadata export (the JSON {@code export_metadata}
 * returns, version 3, or the older version 2 without sources). Out: a Joinery
 * {@link io.joinery.admin.metadata.Metadata} and the list of everything that has no Joinery
 * equivalent yet, each entry naming where it was and why it was left out; nothing is dropped
 * silently. Applying the result (and checking it against the live databases) is the caller's job.
 */
package io.joinery.admin.hasura;
