package com.doordash.pedregal.client;

/**
 * The server could not be reached (connection refused or reset, no answer to connect, unknown host), also
 * after the retries; {@link #getHttpStatus()} is 0 and {@link #getErrorCode()} is
 * {@value DCPClientException#CONNECTION_FAILED}.
 */
public final class DCPConnectionException extends DCPClientException {
    private static final long serialVersionUID = 1L;

    DCPConnectionException(String message, Throwable cause) {
        super(message, CONNECTION_FAILED, cause);
    }
}
