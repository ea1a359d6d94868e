/**
 * Golden tests of the pipeline's stages (src/test/resources/golden/README.md). In: operations under
 * {@code golden/cases}, each run once against a fixture world of real databases, remote servers and a
 * sidecar. Out: the answer, the SQL statements with their bind values and the remote documents, compared
 * exactly with the reviewed files under {@code golden/expected}, or rewritten with {@code -Dgolden.update=true}.
 */
package io.joinery.it.golden;
