package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

/**
 * Where a job runs, decided once when it is accepted ({@link SparkGateway#place}) and stored with it: its launch goes
 * there, also after a restart of the platform.
 *
 * @param backend the backend's name
 * @param sparkVersion the runtime it runs
 */
public record Placement(String backend, String sparkVersion) {
    public Placement {
        requireNonNull(backend, "backend is null");
        requireNonNull(sparkVersion, "sparkVersion is null");
    }
}
