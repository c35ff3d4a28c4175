package com.doordash.pedregal.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.function.Function;

/**
 * Resources a job asks for. Dynamic allocation belongs to the executor ({@code executor.dynamic_allocation},
 * where the seed's clients and protos send it); the same three fields here are an alias. A request may set them
 * in either place, or the same values in both; the {@code effective} methods read them from wherever they are.
 *
 * @param driver the driver's resources
 * @param executor each executor's resources
 * @param dynamicAllocation alias of {@link ExecutorConfig#dynamicAllocation()}
 * @param minExecutors alias of {@link ExecutorConfig#minExecutors()}
 * @param maxExecutors alias of {@link ExecutorConfig#maxExecutors()}
 */
public record ResourceConfig(
        DriverConfig driver,
        ExecutorConfig executor,
        @JsonProperty("dynamic_allocation") Boolean dynamicAllocation,
        @JsonProperty("min_executors") Integer minExecutors,
        @JsonProperty("max_executors") Integer maxExecutors) {

    /** Whether Spark scales the executors ({@code dynamic_allocation} is true in either place). */
    public boolean dynamicAllocationEnabled() {
        return Boolean.TRUE.equals(effective(ExecutorConfig::dynamicAllocation, dynamicAllocation));
    }

    /** The lower bound of dynamic allocation, wherever it was given; null when it was not. */
    public Integer effectiveMinExecutors() {
        return effective(ExecutorConfig::minExecutors, minExecutors);
    }

    /** The upper bound of dynamic allocation, wherever it was given; null when it was not. */
    public Integer effectiveMaxExecutors() {
        return effective(ExecutorConfig::maxExecutors, maxExecutors);
    }

    /** The path of the dynamic-allocation field {@code field} (e.g. {@code max_executors}) where the request set it. */
    String dynamicAllocationPath(String field) {
        boolean atExecutor = executor != null
                && (executor.dynamicAllocation() != null || executor.minExecutors() != null || executor.maxExecutors() != null);
        return "config.resources." + (atExecutor ? "executor." : "") + field;
    }

    private <T> T effective(Function<ExecutorConfig, T> executorField, T alias) {
        T atExecutor = executor == null ? null : executorField.apply(executor);
        return atExecutor != null ? atExecutor : alias;
    }
}
