package com.doordash.pedregal.client;

/** No job has the given id (HTTP 404, code {@code JOB_NOT_FOUND}), or the caller may not see it. */
public final class JobNotFoundException extends DCPClientException {
    private static final long serialVersionUID = 1L;

    JobNotFoundException(ServerError error) {
        super(error);
    }
}
