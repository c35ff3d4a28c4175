package com.doordash.pedregal.model.error;

import static java.util.Objects.requireNonNull;

/** Every error the platform reports to a client, with its category and HTTP status. */
public enum ErrorCode {
    /** The request body or a parameter is malformed or breaks a rule. */
    INVALID_REQUEST(ErrorCategory.USER_ERROR, 400),
    /**
     * The request is well formed but the operator's policy refuses it: a Spark setting, an environment variable, custom
     * code or a location the caller's team may not use. The message names the rule.
     */
    POLICY_VIOLATION(ErrorCategory.USER_ERROR, 400),
    /** The request body is larger than the server accepts. */
    REQUEST_TOO_LARGE(ErrorCategory.USER_ERROR, 413),
    /** The request body is not JSON ({@code Content-Type} other than {@code application/json}). */
    UNSUPPORTED_MEDIA_TYPE(ErrorCategory.USER_ERROR, 415),
    /** A manifest file is malformed or breaks a rule; the message names the file, line, column and field. */
    INVALID_MANIFEST(ErrorCategory.USER_ERROR, 400),
    /** The named job does not exist. */
    JOB_NOT_FOUND(ErrorCategory.USER_ERROR, 404),
    /** The job already reached a final state, so it cannot be changed. */
    JOB_ALREADY_FINISHED(ErrorCategory.USER_ERROR, 409),
    /** No valid credentials were presented. */
    UNAUTHENTICATED(ErrorCategory.USER_ERROR, 401),
    /** The caller may not act on this team's jobs, or as this user. */
    PERMISSION_DENIED(ErrorCategory.USER_ERROR, 403),
    /** The idempotency key was already used by this team for a different request. */
    IDEMPOTENCY_CONFLICT(ErrorCategory.USER_ERROR, 409),
    /** The named playground does not exist (or is not visible to the caller). */
    PLAYGROUND_NOT_FOUND(ErrorCategory.USER_ERROR, 404),
    /** The caller already has a live playground of that name in that team. */
    PLAYGROUND_EXISTS(ErrorCategory.USER_ERROR, 409),
    /** The requested URL or method is not part of the API. */
    NOT_FOUND(ErrorCategory.USER_ERROR, 404),
    /** The platform cannot accept the work now. */
    UNAVAILABLE(ErrorCategory.INSUFFICIENT_RESOURCES, 503),
    /** An unexpected failure inside the platform. */
    INTERNAL(ErrorCategory.INTERNAL, 500);

    private final ErrorCategory category;
    private final int httpStatus;

    ErrorCode(ErrorCategory category, int httpStatus) {
        this.category = requireNonNull(category, "category is null");
        this.httpStatus = httpStatus;
    }

    /** The category of this code. */
    public ErrorCategory category() {
        return category;
    }

    /** The HTTP status a REST client receives for this code. */
    public int httpStatus() {
        return httpStatus;
    }
}
