package com.doordash.pedregal.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Resources of each Spark executor.
 *
 * @param instances number of executors, 0 or more
 * @param cores CPU cores per executor, at least 1
 * @param memory heap size per executor such as {@code 8g}
 * @param memoryOverhead optional off-heap allowance per executor such as {@code 1g}
 */
public record ExecutorConfig(
        Integer instances, Integer cores, String memory, @JsonProperty("memory_overhead") String memoryOverhead) {
}
