package com.doordash.pedregal.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Resources of each Spark executor, and how many. The zero values the seed's clients send for what their users
 * left out ({@code "cores": 0}, {@code "memory": ""}) mean "the default", as an absent field does; {@code
 * "instances": 0} asks for no executors.
 *
 * @param instances number of executors, 0 or more
 * @param cores CPU cores per executor, at least 1
 * @param memory heap size per executor such as {@code 8g}
 * @param memoryOverhead optional off-heap allowance per executor such as {@code 1g}
 * @param dynamicAllocation whether Spark scales executors between {@code minExecutors} and {@code maxExecutors}
 *        (where the seed's clients and protos put it; {@link ResourceConfig} takes the same fields as an alias)
 * @param minExecutors lower bound with dynamic allocation (0 is valid when it is off)
 * @param maxExecutors upper bound with dynamic allocation (0 is valid when it is off)
 */
public record ExecutorConfig(
        Integer instances,
        Integer cores,
        String memory,
        @JsonProperty("memory_overhead") String memoryOverhead,
        @JsonProperty("dynamic_allocation") Boolean dynamicAllocation,
        @JsonProperty("min_executors") Integer minExecutors,
        @JsonProperty("max_executors") Integer maxExecutors) {
    public ExecutorConfig {
        cores = zeroToNull(cores);
        memory = emptyToNull(memory);
        memoryOverhead = emptyToNull(memoryOverhead);
    }

    /** Executors of a fixed count, without dynamic allocation settings. */
    public ExecutorConfig(Integer instances, Integer cores, String memory, String memoryOverhead) {
        this(instances, cores, memory, memoryOverhead, null, null, null);
    }

    static Integer zeroToNull(Integer value) {
        return value != null && value == 0 ? null : value;
    }

    static String emptyToNull(String value) {
        return value != null && value.isEmpty() ? null : value;
    }
}
