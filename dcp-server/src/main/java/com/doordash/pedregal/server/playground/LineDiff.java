package com.doordash.pedregal.server.playground;

import java.util.ArrayList;
import java.util.List;

/** A unified diff of two texts, line by line (longest common subsequence), with three lines of context. */
final class LineDiff {
    private static final int CONTEXT = 3;

    private LineDiff() {
    }

    /** The unified diff from {@code before} to {@code after}; empty when they are equal. */
    static String unified(String before, String after, String beforeName, String afterName) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        List<char[]> ops = edits(a, b);
        if (ops.stream().allMatch(op -> op[0] == ' ')) {
            return "";
        }
        StringBuilder diff = new StringBuilder("--- ").append(beforeName).append('\n')
                .append("+++ ").append(afterName).append('\n');
        // Walk the edit script, emitting hunks of changes with CONTEXT lines around them.
        int[] lineA = new int[ops.size() + 1];
        int[] lineB = new int[ops.size() + 1];
        for (int i = 0; i < ops.size(); i++) {
            lineA[i + 1] = lineA[i] + (ops.get(i)[0] != '+' ? 1 : 0);
            lineB[i + 1] = lineB[i] + (ops.get(i)[0] != '-' ? 1 : 0);
        }
        int i = 0;
        while (i < ops.size()) {
            if (ops.get(i)[0] == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            int lastChange = i;
            while (end < ops.size() && (ops.get(end)[0] != ' ' || end - lastChange <= 2 * CONTEXT)) {
                if (ops.get(end)[0] != ' ') {
                    lastChange = end;
                }
                end++;
            }
            end = Math.min(ops.size(), lastChange + CONTEXT + 1);
            int countA = lineA[end] - lineA[start];
            int countB = lineB[end] - lineB[start];
            diff.append("@@ -").append(lineA[start] + (countA == 0 ? 0 : 1)).append(',').append(countA)
                    .append(" +").append(lineB[start] + (countB == 0 ? 0 : 1)).append(',').append(countB).append(" @@\n");
            for (int k = start; k < end; k++) {
                char op = ops.get(k)[0];
                String line = op == '+' ? b.get(lineB[k]) : a.get(lineA[k]);
                diff.append(op).append(line).append('\n');
            }
            i = end;
        }
        return diff.toString();
    }

    /** The edit script: one entry per line, ' ' kept, '-' removed from a, '+' added from b. */
    private static List<char[]> edits(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int x = n - 1; x >= 0; x--) {
            for (int y = m - 1; y >= 0; y--) {
                lcs[x][y] = a.get(x).equals(b.get(y)) ? lcs[x + 1][y + 1] + 1 : Math.max(lcs[x + 1][y], lcs[x][y + 1]);
            }
        }
        List<char[]> ops = new ArrayList<>();
        int x = 0;
        int y = 0;
        while (x < n || y < m) {
            if (x < n && y < m && a.get(x).equals(b.get(y))) {
                ops.add(new char[] {' '});
                x++;
                y++;
            }
            else if (y < m && (x == n || lcs[x][y + 1] > lcs[x + 1][y])) {
                ops.add(new char[] {'+'});
                y++;
            }
            else {
                ops.add(new char[] {'-'});
                x++;
            }
        }
        return ops;
    }
}
