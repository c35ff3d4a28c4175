package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

/**
 * A driver a backend started: enough to find it again, also after the platform restarts.
 *
 * @param backend the backend's name, for example {@code local}
 * @param executionId the platform's id of the execution
 * @param runId the backend's own id of the run (a process id, a driver id, an application name)
 */
public record BackendRun(String backend, String executionId, String runId) {
    public BackendRun {
        requireNonNull(backend, "backend is null");
        requireNonNull(executionId, "executionId is null");
        requireNonNull(runId, "runId is null");
    }
}
