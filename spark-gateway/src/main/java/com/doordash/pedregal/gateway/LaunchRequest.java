package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * Everything a backend needs to start one driver.
 *
 * @param executionId the platform's id of this execution; names the run's working directory
 * @param name the Spark application name
 * @param team the owning team, for routing
 * @param namespace the namespace the job runs in: {@code default}, or a playground's; for routing and hot pools
 * @param jobType the job type ({@code BATCH}, {@code STREAMING}), for routing
 * @param sparkVersion the runtime, for example {@code 3.5}
 * @param application what the driver runs
 * @param sparkConf Spark properties set by the job
 * @param envVars environment variables of the driver
 * @param driverCores CPU cores asked for the driver
 * @param driverMemoryBytes heap asked for the driver; a backend may cap it
 */
public record LaunchRequest(
        String executionId,
        String name,
        String team,
        String namespace,
        String jobType,
        String sparkVersion,
        Application application,
        Map<String, String> sparkConf,
        Map<String, String> envVars,
        int driverCores,
        long driverMemoryBytes) {
    /** The namespace of jobs outside any playground. */
    public static final String DEFAULT_NAMESPACE = "default";

    public LaunchRequest {
        requireNonNull(executionId, "executionId is null");
        requireNonNull(name, "name is null");
        requireNonNull(team, "team is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(jobType, "jobType is null");
        requireNonNull(sparkVersion, "sparkVersion is null");
        requireNonNull(application, "application is null");
        sparkConf = Map.copyOf(sparkConf);
        envVars = Map.copyOf(envVars);
        if (driverCores < 1) {
            throw new IllegalArgumentException("driverCores: " + driverCores + " (expected: >= 1)");
        }
        if (driverMemoryBytes < 1) {
            throw new IllegalArgumentException("driverMemoryBytes: " + driverMemoryBytes + " (expected: >= 1)");
        }
    }

    /** What the router looks at. */
    public RouteKey routeKey() {
        return new RouteKey(team, namespace, sparkVersion, jobType);
    }
}
