package com.doordash.pedregal.client;

import java.util.Locale;

/**
 * The life of a job: {@code PENDING → SUBMITTED → RUNNING → SUCCEEDED | FAILED | CANCELLED | TIMEOUT}.
 * A job may also fail or be cancelled before it runs.
 */
public enum JobState {
    /** Accepted and stored; not yet handed to a backend. */
    PENDING,
    /** A backend has started the driver. */
    SUBMITTED,
    /** The Spark application is up. */
    RUNNING,
    /** Finished without error. */
    SUCCEEDED,
    /** Finished with an error; see {@link JobStatus#getErrorMessage()}. */
    FAILED,
    /** Stopped on request. */
    CANCELLED,
    /** Stopped because it ran longer than its {@code timeoutSeconds}. */
    TIMEOUT,
    /** A state this version of the client does not know, reported by a newer server. Not final. */
    UNKNOWN;

    /** Whether a job in this state can no longer change. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == TIMEOUT;
    }

    /** The state named {@code text} in any case; {@link #UNKNOWN} for a name this client does not know or none. */
    static JobState fromWire(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
