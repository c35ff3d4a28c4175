package com.doordash.pedregal.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Resources a job asks for.
 *
 * @param driver the driver's resources
 * @param executor each executor's resources
 * @param dynamicAllocation whether Spark scales executors between {@code minExecutors} and {@code maxExecutors}
 * @param minExecutors lower bound with dynamic allocation (0 is valid when it is off)
 * @param maxExecutors upper bound with dynamic allocation (0 is valid when it is off)
 */
public record ResourceConfig(
        DriverConfig driver,
        ExecutorConfig executor,
        @JsonProperty("dynamic_allocation") Boolean dynamicAllocation,
        @JsonProperty("min_executors") Integer minExecutors,
        @JsonProperty("max_executors") Integer maxExecutors) {
}
