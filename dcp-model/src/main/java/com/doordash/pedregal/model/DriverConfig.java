package com.doordash.pedregal.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Resources of the Spark driver.
 *
 * @param cores CPU cores, at least 1
 * @param memory heap size such as {@code 512m} or {@code 4g}
 * @param memoryOverhead optional off-heap allowance such as {@code 1g}
 */
public record DriverConfig(Integer cores, String memory, @JsonProperty("memory_overhead") String memoryOverhead) {
}
