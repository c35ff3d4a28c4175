package com.doordash.pedregal.model.error;

import java.util.List;
import java.util.stream.Collectors;

/** A request broke one or more rules; every problem is listed with its field path. */
public final class InvalidRequestException extends PlatformException {
    /** A request with the given problems; there must be at least one. */
    public InvalidRequestException(List<Violation> violations) {
        super(ErrorCode.INVALID_REQUEST, summary(violations), first(violations).field(), violations, null);
    }

    /** A request with one problem. */
    public InvalidRequestException(String field, String message) {
        this(List.of(new Violation(field, message)));
    }

    private static Violation first(List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("violations is empty");
        }
        return violations.get(0);
    }

    private static String summary(List<Violation> violations) {
        return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }
}
