package io.joinery.kriti;

/** A place in a template's text: 1-based line and column. */
record Position(int line, int column) {
}
