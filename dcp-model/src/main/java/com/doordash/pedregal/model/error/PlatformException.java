package com.doordash.pedregal.model.error;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The one unchecked exception the platform throws for failures a client should see. It carries an
 * {@link ErrorCode}, a message meant for a person, and, where one field is to blame, its path
 * (for example {@code config.resources.executor.memory}).
 */
public class PlatformException extends RuntimeException {
    private final ErrorCode code;
    private final String field;
    private final List<Violation> violations;

    /** An error not tied to one field. */
    public PlatformException(ErrorCode code, String message) {
        this(code, message, null, List.of(), null);
    }

    /** An error caused by the value at {@code field}. */
    public PlatformException(ErrorCode code, String message, String field) {
        this(code, message, field, List.of(), null);
    }

    /** An error with a cause, for logs. */
    public PlatformException(ErrorCode code, String message, Throwable cause) {
        this(code, message, null, List.of(), cause);
    }

    protected PlatformException(ErrorCode code, String message, String field, List<Violation> violations, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
        this.field = field;
        this.violations = List.copyOf(violations);
    }

    /** The error code. */
    public ErrorCode code() {
        return code;
    }

    /** The path of the field to blame, if one is. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** Every problem found, when the error sums up several; empty otherwise. */
    public List<Violation> violations() {
        return violations;
    }
}
