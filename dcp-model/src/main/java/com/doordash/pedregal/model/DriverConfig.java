package com.doordash.pedregal.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Resources of the Spark driver. The zero values the seed's clients send for what their users left out
 * ({@code "cores": 0}, {@code "memory": ""}) mean "the default", as an absent field does.
 *
 * @param cores CPU cores, at least 1
 * @param memory heap size such as {@code 512m} or {@code 4g}
 * @param memoryOverhead optional off-heap allowance such as {@code 1g}
 */
public record DriverConfig(Integer cores, String memory, @JsonProperty("memory_overhead") String memoryOverhead) {
    public DriverConfig {
        cores = ExecutorConfig.zeroToNull(cores);
        memory = ExecutorConfig.emptyToNull(memory);
        memoryOverhead = ExecutorConfig.emptyToNull(memoryOverhead);
    }
}
