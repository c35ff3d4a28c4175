package com.doordash.pedregal.client;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A call of {@link DCPSparkClient} failed. Every exception the client throws for a failed call is one of
 * these, usually a subclass named after what went wrong:
 *
 * <ul>
 *   <li>{@link InvalidRequestException} (HTTP 400), {@link UnauthenticatedException} (401),
 *       {@link PermissionDeniedException} (403), {@link JobNotFoundException} and {@link PlaygroundNotFoundException} (404),
 *       {@link ConflictException} (409), {@link ServerException} (5xx) — the server answered with an error;
 *   <li>{@link DCPConnectionException} — the server could not be reached;
 *   <li>{@link DCPTimeoutException} — an answer or a job took longer than allowed.
 * </ul>
 *
 * <p>Other error answers (such as 429, or 404 for a path the server does not know) are thrown as this class.
 * The message holds the server's message, the HTTP status, the error code and the request
 * ({@code job x does not exist (HTTP 404 JOB_NOT_FOUND on GET /api/v1/jobs/x)}); it never holds the token.
 */
public class DCPClientException extends RuntimeException {
    /** {@link #getErrorCode()} when the server could not be reached. */
    public static final String CONNECTION_FAILED = "CONNECTION_FAILED";
    /** {@link #getErrorCode()} when an answer or a job took longer than allowed. */
    public static final String TIMEOUT = "TIMEOUT";
    /** {@link #getErrorCode()} when the calling thread was interrupted while waiting. */
    public static final String INTERRUPTED = "INTERRUPTED";
    /** {@link #getErrorCode()} when the server answered with a body this client cannot read. */
    public static final String MALFORMED_RESPONSE = "MALFORMED_RESPONSE";

    private static final long serialVersionUID = 1L;

    /** The HTTP status of the answer; 0 when there was none. */
    private final int httpStatus;
    /** The server's error code, or one of this class's constants. */
    private final String errorCode;
    /** The path of the field to blame, or null. */
    private final String field;
    /**
     * The server's own message, without the HTTP status, code and request that {@link #getMessage()} adds, such as
     * {@code B.yaml:7:5: spec.coreEtl.version: is required}; empty when the server did not answer with an error.
     */
    public Optional<String> getServerMessage() {
        return Optional.ofNullable(serverMessage);
    }

    /** Every problem the server listed. */
    private final List<ErrorDetail> details;
    /** The server's own message, or null when there was no error answer. */
    private final String serverMessage;

    DCPClientException(String message, int httpStatus, String errorCode, String field, List<ErrorDetail> details,
            Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.httpStatus = httpStatus;
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
        this.field = field;
        this.details = List.copyOf(details);
        this.serverMessage = null;
    }

    DCPClientException(String message, String errorCode, Throwable cause) {
        this(message, 0, errorCode, null, List.of(), cause);
    }

    DCPClientException(ServerError error) {
        super(error.describe());
        this.httpStatus = error.httpStatus();
        this.errorCode = error.code();
        this.field = error.field();
        this.details = error.details();
        this.serverMessage = error.message();
    }

    /** The HTTP status of the server's answer, such as 404; 0 when there was no answer. */
    public int getHttpStatus() {
        return httpStatus;
    }

    /**
     * The server's error code, such as {@code INVALID_REQUEST} or {@code JOB_NOT_FOUND}; when the server gave
     * none, one of this class's constants or {@code HTTP_<status>}.
     */
    public String getErrorCode() {
        return errorCode;
    }

    /** The path of the request field to blame, such as {@code config.spark_version}, when the server named one. */
    public Optional<String> getField() {
        return Optional.ofNullable(field);
    }

    /** Every problem the server listed, when it found several; empty otherwise. */
    public List<ErrorDetail> getDetails() {
        return details;
    }
}
