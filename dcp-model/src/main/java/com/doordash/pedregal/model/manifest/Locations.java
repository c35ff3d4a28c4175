package com.doordash.pedregal.model.manifest;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where each field of a manifest file is: JSON pointer ({@code /spec/coreEtl/jobSpec/sources/0/table}) to the line
 * and column (both 1-based) the field's key, or the array element, starts at.
 */
public final class Locations {
    /** A line and column in a file. */
    public record Position(int line, int column) {
    }

    private final Map<String, Position> positions;

    Locations(Map<String, Position> positions) {
        this.positions = Map.copyOf(requireNonNull(positions, "positions is null"));
    }

    /**
     * The position of the field at {@code path} (a manifest path such as {@code spec.coreEtl.jobSpec.sources[0].table}
     * or {@code spec.sparkConfig["spark.sql.shuffle.partitions"]}); a field that is missing is placed at its closest
     * parent that exists, and the document's start when none does.
     */
    public Position of(String path) {
        List<String> tokens = tokens(path);
        for (int n = tokens.size(); n > 0; n--) {
            Position position = positions.get(pointer(tokens.subList(0, n)));
            if (position != null) {
                return position;
            }
        }
        return positions.getOrDefault("", new Position(1, 1));
    }

    /** Splits {@code a.b[0]["x.y"]} into {@code a, b, 0, x.y}. */
    static List<String> tokens(String path) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        StringBuilder current = new StringBuilder();
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                flush(tokens, current);
                i++;
            }
            else if (c == '[') {
                flush(tokens, current);
                int end;
                if (i + 1 < path.length() && path.charAt(i + 1) == '"') {
                    end = path.indexOf("\"]", i + 2);
                    if (end < 0) {
                        end = path.length();
                    }
                    tokens.add(path.substring(i + 2, end));
                    i = end + 2;
                }
                else {
                    end = path.indexOf(']', i);
                    if (end < 0) {
                        end = path.length();
                    }
                    tokens.add(path.substring(i + 1, end));
                    i = end + 1;
                }
            }
            else {
                current.append(c);
                i++;
            }
        }
        flush(tokens, current);
        return tokens;
    }

    private static void flush(List<String> tokens, StringBuilder current) {
        if (current.length() > 0) {
            tokens.add(current.toString());
            current.setLength(0);
        }
    }

    private static String pointer(List<String> tokens) {
        StringBuilder pointer = new StringBuilder();
        for (String token : tokens) {
            pointer.append('/').append(token.replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }
}
