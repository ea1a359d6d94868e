package io.joinery.proxy.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import graphql.language.AstPrinter;
import graphql.language.FragmentDefinition;
import graphql.language.IntValue;
import graphql.language.SelectionSet;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.schema.GraphQLInputType;
import io.joinery.proxy.plan.JoinSpec;
import io.joinery.proxy.remote.GraphqlLiterals;
import io.joinery.proxy.remote.RemoteSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The request document of a per-key join, written as text: what does not depend on a key (the
 * operation's variables, the fields' names, constant arguments, the selection, the fragments) is
 * printed once per request by graphql-java's printer, and each key adds its alias and the literals
 * of its values.
 *
 * <p>Note [Per-key documents as text]: the document used to be built as graphql-java AST, one
 * field per key, and printed whole: at Q3 (50 keys) that was 5.7% of the sidecar's CPU samples and
 * 51 KB of the 248 KB a request allocated, for a text whose only per-key parts are a few digits.
 * The text is the printer's own, byte for byte (a test parses and prints it again and gets it back),
 * and the values still reach the document only as literals the printer writes for the remote's type
 * ({@link GraphqlLiterals}); an integer literal is written as its digits, without its AST.
 */
final class PerKeyDocument {

    /** One argument of a field: its text for one key, {@code name:value}. */
    private sealed interface Arg permits Constant, Column, Filled {
        void write(StringBuilder out, List<JsonNode> key);
    }

    /** An argument whose value reads no column (or the client's own argument): printed once. */
    private record Constant(String text) implements Arg {
        @Override
        public void write(StringBuilder out, List<JsonNode> key) {
            out.append(text);
        }
    }

    /** An argument whose value is one key column ({@code authorId: $id}); {@code column} -1: not a key column (null). */
    private record Column(String prefix, int column, GraphQLInputType type) implements Arg {
        @Override
        public void write(StringBuilder out, List<JsonNode> key) {
            out.append(prefix);
            GraphqlLiterals.print(out, column < 0 ? NullNode.getInstance() : key.get(column), type);
        }
    }

    /** Any other template (an input object or list that reads columns), filled per key, merged with the client's value if any. */
    private record Filled(String prefix, JoinDocuments.PathArgument argument, JoinSpec join) implements Arg {
        @Override
        public void write(StringBuilder out, List<JsonNode> key) {
            Map<String, JsonNode> row = JoinChunk.row(join, key);
            out.append(prefix);
            literal(out, argument.value((template, type) -> GraphqlLiterals.fill(template, type, row)));
        }
    }

    /** One field of the remote path: its name and arguments. */
    private record Step(String field, List<Arg> args) {
    }

    private final String header;
    private final List<Step> steps;
    private final String selection;
    private final String footer;

    /**
     * @param selection the innermost field's selection (the client's, or the spread of {@code ownFragments})
     * @param variableNames the client's variables the request uses
     */
    @SuppressWarnings("rawtypes")
    PerKeyDocument(JoinSpec join, RemoteSchema remote, SelectionSet selection, Set<String> fragmentNames, Set<String> variableNames,
                   List<FragmentDefinition> ownFragments) {
        StringBuilder header = new StringBuilder("query JoineryJoin");
        List<VariableDefinition> definitions = join.variableDefinitions().stream().filter(d -> variableNames.contains(d.getName())).toList();
        for (int i = 0; i < definitions.size(); i++) {
            header.append(i == 0 ? "(" : ",").append(AstPrinter.printAstCompact(definitions.get(i)));
        }
        this.header = header.append(definitions.isEmpty() ? "{" : "){").toString();
        this.steps = steps(join, remote);
        this.selection = selection == null ? "" : AstPrinter.printAstCompact(selection);
        StringBuilder footer = new StringBuilder("}");
        fragmentNames.forEach(name -> footer.append(' ').append(AstPrinter.printAstCompact(join.fragments().get(name))));
        ownFragments.forEach(fragment -> footer.append(' ').append(AstPrinter.printAstCompact(fragment)));
        this.footer = footer.toString();
    }

    /** The document for these keys: the field of key {@code i} aliased {@code f<i>}. */
    String text(List<List<JsonNode>> keys) {
        StringBuilder out = new StringBuilder(header.length() + footer.length() + keys.size() * (steps.getFirst().field().length() + selection.length() + 24));
        out.append(header);
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0 && out.charAt(out.length() - 1) != '}') {
                out.append(' ');
            }
            out.append('f').append(i).append(':');
            field(out, 0, keys.get(i));
        }
        return out.append(footer).toString();
    }

    private void field(StringBuilder out, int at, List<JsonNode> key) {
        Step step = steps.get(at);
        out.append(step.field());
        for (int a = 0; a < step.args().size(); a++) {
            out.append(a == 0 ? '(' : ',');
            step.args().get(a).write(out, key);
        }
        if (!step.args().isEmpty()) {
            out.append(')');
        }
        if (at + 1 < steps.size()) {
            out.append('{');
            field(out, at + 1, key);
            out.append('}');
        } else {
            out.append(selection);
        }
    }

    /** The printer's literal; an integer as its digits, which is what the printer writes. */
    private static void literal(StringBuilder out, Value<?> value) {
        if (value instanceof IntValue integer) {
            out.append(integer.getValue());
        } else {
            out.append(AstPrinter.printAstCompact(value));
        }
    }

    /** The remote path's fields ({@link JoinDocuments#path}), each argument as the text it takes for a key. */
    private static List<Step> steps(JoinSpec join, RemoteSchema remote) {
        List<Step> steps = new ArrayList<>();
        for (JoinDocuments.PathStep step : JoinDocuments.path(join, remote)) {
            List<Arg> args = new ArrayList<>(step.arguments().size());
            step.arguments().forEach(argument -> args.add(arg(argument, join)));
            steps.add(new Step(step.field(), args));
        }
        return steps;
    }

    private static Arg arg(JoinDocuments.PathArgument argument, JoinSpec join) {
        StringBuilder prefix = new StringBuilder(argument.name()).append(':');
        if (argument.template() == null || !GraphqlLiterals.usesColumns(argument.template())) {
            literal(prefix, argument.value((template, type) -> GraphqlLiterals.fill(template, type, Map.of())));
            return new Constant(prefix.toString());
        }
        if (argument.client() == null && argument.template().isTextual()) {
            return new Column(prefix.toString(), join.keyColumns().indexOf(argument.template().textValue().substring(1)), argument.type());
        }
        return new Filled(prefix.toString(), argument, join);
    }
}
