/**
 * Hasura's Kriti template language, the language of action request and response transforms: JSON
 * with embedded {@code {{ }}} expressions (paths, literals, comparisons, {@code if}/{@code range},
 * Kriti's functions). In: a template's text, once ({@link io.joinery.kriti.Template#parse}); out: a
 * {@link io.joinery.kriti.Template} rendered many times against Jackson values. Errors carry the
 * template's line and column ({@link io.joinery.kriti.KritiException}). Depends only on Jackson.
 */
package io.joinery.kriti;
