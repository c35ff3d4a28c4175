package com.doordash.pedregal.gateway;

/** Where a driver is, as its backend sees it. */
public enum RunState {
    /** Started, the Spark application is not up yet. */
    STARTING,
    /** The Spark application is up. */
    RUNNING,
    /** Ended without error. */
    SUCCEEDED,
    /** Ended with an error. */
    FAILED,
    /** The driver is gone and left no result (killed from outside, machine restarted). */
    LOST;

    /** Whether the driver has ended. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == LOST;
    }
}
