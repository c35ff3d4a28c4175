package com.doordash.pedregal.client;

/** The server refused a request as malformed or breaking a rule (HTTP 400, code {@code INVALID_REQUEST}); {@link #getField()} and {@link #getDetails()} name the fields to blame. */
public final class InvalidRequestException extends DCPClientException {
    private static final long serialVersionUID = 1L;

    InvalidRequestException(ServerError error) {
        super(error);
    }
}
