package com.doordash.pedregal.model.error;

/** What kind of failure an {@link ErrorCode} describes; decides the HTTP and gRPC status class. */
public enum ErrorCategory {
    /** The caller sent something wrong: HTTP 4xx. */
    USER_ERROR,
    /**
     * The platform cannot take the work right now, and says when to retry: HTTP 503 with {@code Retry-After} (the
     * caller did nothing wrong, so not 429), gRPC {@code UNAVAILABLE}.
     */
    INSUFFICIENT_RESOURCES,
    /** A fault of the platform: HTTP 5xx. */
    INTERNAL
}
