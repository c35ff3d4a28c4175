package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

/**
 * The state of one hot pool: pre-started drivers of one runtime and namespace, each waiting for exactly one job.
 *
 * @param backend the backend keeping the pool
 * @param sparkVersion the runtime of its drivers
 * @param namespace the namespace its drivers serve
 * @param size how many drivers the pool keeps (idle plus starting)
 * @param idle drivers ready to take a job now
 * @param starting drivers still warming up
 * @param handOffs jobs handed to a warm driver since the platform started
 * @param coldStarts jobs of this runtime and namespace that found no idle driver and started cold
 * @param replaced warm drivers that died before taking a job and were replaced
 * @param lastHandOffMillis how long the last hand-off took (job given to the driver → driver running it), or -1
 * @param medianHandOffMillis the median hand-off time of the last 100 hand-offs, or -1
 */
public record PoolStatus(
        String backend,
        String sparkVersion,
        String namespace,
        int size,
        int idle,
        int starting,
        long handOffs,
        long coldStarts,
        long replaced,
        long lastHandOffMillis,
        long medianHandOffMillis) {
    public PoolStatus {
        requireNonNull(backend, "backend is null");
        requireNonNull(sparkVersion, "sparkVersion is null");
        requireNonNull(namespace, "namespace is null");
    }
}
