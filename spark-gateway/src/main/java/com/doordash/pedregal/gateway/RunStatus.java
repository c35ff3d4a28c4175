package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A backend's view of a run.
 *
 * @param state where the driver is
 * @param sparkUiUrl the Spark UI while the application runs, or null
 * @param message why the run failed or was lost, or null
 */
public record RunStatus(RunState state, String sparkUiUrl, String message) {
    public RunStatus {
        requireNonNull(state, "state is null");
    }

    /** The Spark UI address, if known. */
    public Optional<String> uiUrl() {
        return Optional.ofNullable(sparkUiUrl);
    }
}
