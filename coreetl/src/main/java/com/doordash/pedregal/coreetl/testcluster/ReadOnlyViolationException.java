package com.doordash.pedregal.coreetl.testcluster;

/**
 * A plan that would write or change something outside the session, refused by the read-only guard of the
 * shared test cluster (see {@link ReadOnlyExtensions}). It is a plain unchecked exception, so it reaches a
 * Spark Connect client with its message on both Spark 3.5 and 4.0.
 */
public final class ReadOnlyViolationException extends UnsupportedOperationException {
    private static final long serialVersionUID = 1L;

    public ReadOnlyViolationException(String message) {
        super(message);
    }
}
