package com.doordash.pedregal.client;

/** No playground of the caller has this id or name (HTTP 404, code {@code PLAYGROUND_NOT_FOUND}). */
public final class PlaygroundNotFoundException extends DCPClientException {
    private static final long serialVersionUID = 1L;

    PlaygroundNotFoundException(ServerError error) {
        super(error);
    }
}
