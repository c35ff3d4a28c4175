package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

/**
 * What the router looks at to choose a backend for a job.
 *
 * @param team the owning team
 * @param namespace {@code default}, or the playground the job runs in
 * @param sparkVersion the runtime the job asks for
 * @param jobType {@code BATCH} or {@code STREAMING}
 */
public record RouteKey(String team, String namespace, String sparkVersion, String jobType) {
    public RouteKey {
        requireNonNull(team, "team is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(sparkVersion, "sparkVersion is null");
        requireNonNull(jobType, "jobType is null");
    }
}
