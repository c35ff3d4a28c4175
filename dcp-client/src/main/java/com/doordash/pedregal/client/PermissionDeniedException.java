package com.doordash.pedregal.client;

/** The caller may not do this (HTTP 403, code {@code PERMISSION_DENIED}), for example act for another team or as another user. */
public final class PermissionDeniedException extends DCPClientException {
    private static final long serialVersionUID = 1L;

    PermissionDeniedException(ServerError error) {
        super(error);
    }
}
