package com.doordash.pedregal.client;

/** The server did not accept the credentials (HTTP 401, code {@code UNAUTHENTICATED}): no token was set, or the token is unknown or expired. */
public final class UnauthenticatedException extends DCPClientException {
    private static final long serialVersionUID = 1L;

    UnauthenticatedException(ServerError error) {
        super(error);
    }
}
