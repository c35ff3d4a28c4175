package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * What a backend can ever grant one job: a request beyond these limits is rejected at submit instead of
 * waiting forever.
 *
 * @param sparkVersions the runtimes ({@code 3.5}, {@code 4.0}) the backend runs
 * @param maxDriverCores the most cores one driver can get
 * @param maxDriverMemory the most memory (bytes, heap plus overhead) one driver can get
 * @param maxExecutorCores the most cores one executor can get
 * @param maxExecutorMemory the most memory (bytes, heap plus overhead) one executor can get
 * @param maxExecutors the most executors one job can get
 */
public record BackendCapabilities(
        Set<String> sparkVersions,
        int maxDriverCores,
        long maxDriverMemory,
        int maxExecutorCores,
        long maxExecutorMemory,
        int maxExecutors) {
    public BackendCapabilities {
        sparkVersions = Set.copyOf(requireNonNull(sparkVersions, "sparkVersions is null"));
    }
}
