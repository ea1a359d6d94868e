package io.joinery.it.golden;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff in the unified style ({@code -} expected, {@code +} actual, a few lines of context), from a
 * longest common subsequence: the golden files are small, so the quadratic table is cheap.
 */
final class UnifiedDiff {

    private static final int CONTEXT = 3;

    private UnifiedDiff() {
    }

    static String of(String expectedName, String expected, String actualName, String actual) {
        List<String> a = expected.lines().toList();
        List<String> b = actual.lines().toList();
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> edits = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                edits.add("  " + a.get(i++));
                j++;
            } else if (i < a.size() && (j == b.size() || common[i + 1][j] >= common[i][j + 1])) {
                edits.add("- " + a.get(i++));
            } else {
                edits.add("+ " + b.get(j++));
            }
        }
        return "--- " + expectedName + "\n+++ " + actualName + "\n" + hunks(edits);
    }

    /** The changed lines with {@link #CONTEXT} lines around them; "..." where unchanged lines are left out. */
    private static String hunks(List<String> edits) {
        boolean[] shown = new boolean[edits.size()];
        for (int k = 0; k < edits.size(); k++) {
            if (!edits.get(k).startsWith("  ")) {
                for (int c = Math.max(0, k - CONTEXT); c <= Math.min(edits.size() - 1, k + CONTEXT); c++) {
                    shown[c] = true;
                }
            }
        }
        StringBuilder out = new StringBuilder();
        boolean skipping = false;
        for (int k = 0; k < edits.size(); k++) {
            if (shown[k]) {
                out.append(edits.get(k)).append('\n');
                skipping = false;
            } else if (!skipping) {
                out.append("@@ ...\n");
                skipping = true;
            }
        }
        if (edits.isEmpty() || out.isEmpty()) {
            out.append("(the files differ only in line endings or a final newline)\n");
        }
        return out.toString();
    }
}
