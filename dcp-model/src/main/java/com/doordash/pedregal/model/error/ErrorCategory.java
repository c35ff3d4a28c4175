package com.doordash.pedregal.model.error;

/** What kind of failure an {@link ErrorCode} describes; decides the HTTP and gRPC status class. */
public enum ErrorCategory {
    /** The caller sent something wrong: HTTP 4xx. */
    USER_ERROR,
    /** The platform cannot take the work right now: HTTP 429. */
    INSUFFICIENT_RESOURCES,
    /** A fault of the platform: HTTP 5xx. */
    INTERNAL
}
