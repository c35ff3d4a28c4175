package com.doordash.pedregal.client;

import java.util.Optional;

/**
 * Something took longer than allowed: the server did not answer a request within the request timeout, or
 * a job did not finish within the time given to {@link DCPSparkClient#waitForCompletion}. A request that
 * timed out is not retried, since the server may have acted on it. {@link #getErrorCode()} is
 * {@value DCPClientException#TIMEOUT}.
 */
public final class DCPTimeoutException extends DCPClientException {
    private static final long serialVersionUID = 1L;

    private final transient JobStatus lastStatus;

    DCPTimeoutException(String message, JobStatus lastStatus, Throwable cause) {
        super(message, TIMEOUT, cause);
        this.lastStatus = lastStatus;
    }

    /** The job's status when waiting for it gave up; empty when a request timed out. */
    public Optional<JobStatus> getLastStatus() {
        return Optional.ofNullable(lastStatus);
    }
}
