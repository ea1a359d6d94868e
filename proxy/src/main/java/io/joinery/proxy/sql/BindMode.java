package io.joinery.proxy.sql;

/** How a parameter's value is sent: as text, as JSON text, or as a text array. Postgres casts it to the column type. */
public enum BindMode {
    TEXT, JSON, TEXT_ARRAY
}
