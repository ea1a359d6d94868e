package io.joinery.proxy.response;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.sqlclient.Row;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * The shape of a root field's rows when Postgres returns them flat (Note [Flat rows] in
 * {@code SqlCompiler}), and how they are written as the response's JSON: one row per object of the
 * deepest level reached (a parent with no children gets one row, its children's columns null), every
 * level's values in columns of their own, the levels joined in the order they are read.
 *
 * <p>{@code levels.get(0)} is the root field's rows; each level but the last is the parent of the next,
 * whose objects are the list its {@link Child} member names. A level with a child level carries its
 * primary key in {@code keys}: a row begins a new object of that level when its parent's object is
 * new or its key differs from the row before (a parent's children are distinct rows of one table).
 * A child level is absent from a row (the parent has no children) when its {@code present} column is
 * null.
 */
public record FlatRows(List<Level> levels) {

    public FlatRows {
        levels = List.copyOf(levels);
    }

    /**
     * One level: its members in the caller's order, the columns of its key (empty for the last level),
     * and the column that is null when no object of it is in the row ({@code -1} for the root level).
     */
    public record Level(List<Member> members, int[] keys, int present, int child) {
        public Level {
            members = List.copyOf(members);
        }

        /** {@code child}: the index of its {@link Child} member, -1 for the last level; found once, not per row. */
        public Level(List<Member> members, int[] keys, int present) {
            this(members, keys, present, childIndex(members));
        }

        private static int childIndex(List<Member> members) {
            for (int m = 0; m < members.size(); m++) {
                if (members.get(m) instanceof Child) {
                    return m;
                }
            }
            return -1;
        }
    }

    /** A member of a level's objects. */
    public sealed interface Member {
        String key();
    }

    /** A value Postgres sends as itself (an integer, a string, a boolean), written as JSON here. */
    public record Native(String key, int column) implements Member {
    }

    /** A value Postgres sends as JSON text, in the shape {@code shape} (a column of another type, a nested select). */
    public record Json(String key, int column, ResultShape shape) implements Member {
    }

    /** A member the sidecar writes without asking Postgres ({@code __typename}). */
    public record Constant(String key, String text) implements Member {
    }

    /** The list of the next level's objects. */
    public record Child(String key) implements Member {
    }

    /** Writes the rows as the root field's JSON list. */
    public void write(Iterable<Row> rows, JsonGenerator out) throws IOException {
        int depth = levels.size();
        out.writeStartArray();
        Row previous = null;
        // open: the levels whose object is open, from the root; 0 before the first row
        int open = 0;
        for (Row row : rows) {
            int fresh = previous == null ? 0 : firstNew(previous, row);
            close(previous, open, fresh, out);
            open = fresh;
            while (open < depth) {
                Level level = levels.get(open);
                if (level.present >= 0 && row.getValue(level.present) == null) {
                    break;
                }
                out.writeStartObject();
                if (!writeMembers(level, row, 0, out)) {
                    open++;
                    break;
                }
                open++;
            }
            previous = row;
        }
        close(previous, open, 0, out);
        out.writeEndArray();
    }

    /**
     * The first level whose object in {@code row} is not the one in {@code previous}: the last level's
     * objects are one per row, a parent level's are told apart by their key.
     */
    private int firstNew(Row previous, Row row) {
        for (int l = 0; l < levels.size() - 1; l++) {
            int[] keys = levels.get(l).keys;
            for (int key : keys) {
                if (!Objects.equals(previous.getValue(key), row.getValue(key))) {
                    return l;
                }
            }
        }
        return levels.size() - 1;
    }

    /** Ends the open objects of the levels {@code open - 1} down to {@code to}, writing their members after the child's list from {@code row}. */
    private void close(Row row, int open, int to, JsonGenerator out) throws IOException {
        for (int l = open - 1; l >= to; l--) {
            Level level = levels.get(l);
            int child = level.child;
            if (child >= 0) {
                // a parent's list is open while the parent is, with or without a child open in it
                out.writeEndArray();
                writeMembers(level, row, child + 1, out);
            }
            out.writeEndObject();
        }
    }

    /**
     * Writes the level's members from {@code from} on, up to its child's list, which it opens; returns
     * whether it opened one (false: the object's members are all written, it only needs closing).
     */
    private static boolean writeMembers(Level level, Row row, int from, JsonGenerator out) throws IOException {
        List<Member> members = level.members;
        for (int m = from; m < members.size(); m++) {
            Member member = members.get(m);
            out.writeFieldName(member.key());
            switch (member) {
                case Native value -> writeNative(row.getValue(value.column()), out);
                case Json json -> ResultTranscoder.write(row.getString(json.column()), json.shape(), out);
                case Constant constant -> {
                    if (constant.text() == null) {
                        out.writeNull();
                    } else {
                        out.writeString(constant.text());
                    }
                }
                case Child child -> {
                    out.writeStartArray();
                    return true;
                }
            }
        }
        return false;
    }

    /** An integer, a string or a boolean as the JSON Postgres' {@code to_json} writes for it. */
    private static void writeNative(Object value, JsonGenerator out) throws IOException {
        switch (value) {
            case null -> out.writeNull();
            case String text -> out.writeString(text);
            case Integer number -> out.writeNumber(number);
            case Long number -> out.writeNumber(number);
            case Short number -> out.writeNumber(number);
            case Boolean bool -> out.writeBoolean(bool);
            default -> throw new IllegalStateException("Postgres returned a " + value.getClass().getSimpleName() + " where the plan expects an integer, a string or a boolean");
        }
    }
}
