/**
 * The command line beside the sidecar: {@code check} validates a metadata file against live sources
 * (for users' CI), {@code metadata export|apply} round-trips a running sidecar's metadata. In:
 * arguments. Out: readable lines and an exit code (0 fine, 1 problems, 2 usage or connection errors).
 */
package io.joinery.proxy.cli;
