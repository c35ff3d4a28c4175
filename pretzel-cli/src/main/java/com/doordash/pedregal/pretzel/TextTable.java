package com.doordash.pedregal.pretzel;

import java.util.ArrayList;
import java.util.List;

/** Rows of text in aligned columns, for people: {@code NAME  TEAM ...} with two spaces between columns. */
final class TextTable {
    private final List<List<String>> rows = new ArrayList<>();
    private final int columns;

    TextTable(List<String> header) {
        this.columns = header.size();
        rows.add(List.copyOf(header));
    }

    private TextTable(int columns) {
        this.columns = columns;
    }

    /** A table of {@code columns} columns without a header line. */
    static TextTable withoutHeader(int columns) {
        return new TextTable(columns);
    }

    TextTable row(List<String> cells) {
        List<String> row = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            String cell = i < cells.size() && cells.get(i) != null ? cells.get(i) : "";
            row.add(cell.replace('\n', ' ').replace('\r', ' ').replace('\t', ' '));
        }
        rows.add(row);
        return this;
    }

    /** The table, each line prefixed by {@code indent} and without trailing spaces. */
    String render(String indent) {
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < columns; i++) {
                line.append(row.get(i));
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
                }
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }
}
