package com.doordash.pedregal.coreetl;

/**
 * A CoreETL job failed. The message names the step that failed ({@code sources[0] (pedregal.raw.events): },
 * {@code transformations[1]: }, {@code sinks[0] (pedregal.derived.orders): }) followed by Spark's own error
 * message, for example {@code [TABLE_OR_VIEW_NOT_FOUND] The table or view ... cannot be found}.
 */
public final class CoreEtlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure with a complete message. */
    public CoreEtlException(String message) {
        super(message);
    }

    /** A failure of {@code step} (for example {@code transformations[1]}) caused by {@code cause}. */
    public CoreEtlException(String step, Throwable cause) {
        super(step + ": " + Messages.errorText(cause), cause);
    }
}
