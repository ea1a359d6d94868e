package io.joinery.proxy.plan;

import java.util.List;

/** What a table mutation answers: a {@code t_mutation_response}, or the one row ({@code _one}, {@code _by_pk}) or null. */
public sealed interface MutationOutput {

    /** {@code {affected_rows, returning}}, the parts in the client's order. */
    record Response(List<Part> parts) implements MutationOutput {
        public Response {
            parts = List.copyOf(parts);
        }
    }

    /** The written row as a query would select it, within the role's select permission; null when no row was written. */
    record Row(Select select, List<RowField> fields) implements MutationOutput {
        public Row {
            fields = List.copyOf(fields);
        }
    }

    /** {@code update_t_many}'s answer: a list of {@code response}, one per update. */
    record Responses(Response response) implements MutationOutput {
    }

    sealed interface Part {
        String alias();
    }

    record AffectedRows(String alias) implements Part {
    }

    /** The written rows the role may select ({@code select}'s filter applies to them). */
    record Returning(String alias, Select select, List<RowField> fields) implements Part {
        public Returning {
            fields = List.copyOf(fields);
        }
    }

    record Typename(String alias, String typeName) implements Part {
    }
}
