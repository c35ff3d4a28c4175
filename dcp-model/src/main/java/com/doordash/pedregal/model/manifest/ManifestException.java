package com.doordash.pedregal.model.manifest;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.model.error.Violation;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A manifest file is malformed or breaks a rule. The message names, for every problem, the file, line and column
 * and the field: {@code B.yaml:12:9: spec.coreEtl.jobSpec.sources[0].table: is required}; each violation carries the
 * field and {@code B.yaml:12:9: is required}.
 */
public final class ManifestException extends PlatformException {
    private final List<Problem> problems;

    /**
     * One problem of a manifest.
     *
     * @param file the file's name as the user gave it
     * @param line the 1-based line
     * @param column the 1-based column
     * @param field the manifest path of the field, or empty for the file as a whole
     * @param reason what is wrong
     */
    public record Problem(String file, int line, int column, String field, String reason) {
        public Problem {
            requireNonNull(file, "file is null");
            requireNonNull(field, "field is null");
            requireNonNull(reason, "reason is null");
        }

        /** {@code file:line:column}. */
        public String location() {
            return file + ":" + line + ":" + column;
        }

        @Override
        public String toString() {
            return location() + ": " + (field.isEmpty() ? "" : field + ": ") + reason;
        }
    }

    /** A manifest with the given problems; there must be at least one. */
    public ManifestException(List<Problem> problems) {
        super(ErrorCode.INVALID_MANIFEST, problems.stream().map(Problem::toString).collect(Collectors.joining("; ")),
                problems.get(0).field(),
                problems.stream().map(problem -> new Violation(problem.field(), problem.location() + ": " + problem.reason()))
                        .toList(),
                null);
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in file order of discovery. */
    public List<Problem> problems() {
        return problems;
    }
}
