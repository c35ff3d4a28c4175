package com.doordash.pedregal.client;

/** The request conflicts with the job's state (HTTP 409): code {@code JOB_ALREADY_FINISHED} when the job already reached a final state, {@code IDEMPOTENCY_CONFLICT} when the idempotency key was used for a different request. */
public final class ConflictException extends DCPClientException {
    private static final long serialVersionUID = 1L;

    ConflictException(ServerError error) {
        super(error);
    }
}
