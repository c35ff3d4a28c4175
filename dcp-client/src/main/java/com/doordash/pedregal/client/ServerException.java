package com.doordash.pedregal.client;

/** The server failed (HTTP 5xx, such as {@code INTERNAL} or {@code UNAVAILABLE}). A 503 answer is retried before this is thrown. */
public final class ServerException extends DCPClientException {
    private static final long serialVersionUID = 1L;

    ServerException(ServerError error) {
        super(error);
    }
}
