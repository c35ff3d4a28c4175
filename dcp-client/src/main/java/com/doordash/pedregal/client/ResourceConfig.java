package com.doordash.pedregal.client;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Resources a job asks for: its driver, its executors and, optionally, dynamic allocation of executors.
 * Every value is optional; the platform's defaults apply to those left out.
 *
 * <pre>{@code
 * ResourceConfig.builder()
 *     .driver(DriverConfig.builder().cores(2).memory("4g").build())
 *     .executor(ExecutorConfig.builder().instances(5).cores(4).memory("8g").build())
 *     .build()
 * }</pre>
 */
public final class ResourceConfig {
    private final DriverConfig driver;
    private final ExecutorConfig executor;
    private final boolean dynamicAllocation;
    private final Integer minExecutors;
    private final Integer maxExecutors;

    private ResourceConfig(Builder builder) {
        this.driver = builder.driver;
        this.executor = builder.executor;
        this.dynamicAllocation = builder.dynamicAllocation;
        this.minExecutors = builder.minExecutors;
        this.maxExecutors = builder.maxExecutors;
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /** The driver's resources, if set. */
    public Optional<DriverConfig> getDriver() {
        return Optional.ofNullable(driver);
    }

    /** Each executor's resources, if set. */
    public Optional<ExecutorConfig> getExecutor() {
        return Optional.ofNullable(executor);
    }

    /** Whether Spark scales the number of executors between {@link #getMinExecutors()} and {@link #getMaxExecutors()}. */
    public boolean isDynamicAllocation() {
        return dynamicAllocation;
    }

    /** The lower bound of executors with dynamic allocation, if set. */
    public OptionalInt getMinExecutors() {
        return minExecutors == null ? OptionalInt.empty() : OptionalInt.of(minExecutors);
    }

    /** The upper bound of executors with dynamic allocation, if set. */
    public OptionalInt getMaxExecutors() {
        return maxExecutors == null ? OptionalInt.empty() : OptionalInt.of(maxExecutors);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceConfig that
                && Objects.equals(driver, that.driver)
                && Objects.equals(executor, that.executor)
                && dynamicAllocation == that.dynamicAllocation
                && Objects.equals(minExecutors, that.minExecutors)
                && Objects.equals(maxExecutors, that.maxExecutors);
    }

    @Override
    public int hashCode() {
        return Objects.hash(driver, executor, dynamicAllocation, minExecutors, maxExecutors);
    }

    @Override
    public String toString() {
        return "ResourceConfig{driver=" + driver + ", executor=" + executor + ", dynamicAllocation=" + dynamicAllocation
                + ", minExecutors=" + minExecutors + ", maxExecutors=" + maxExecutors + "}";
    }

    /** Builds a {@link ResourceConfig}; each value is checked as it is set. */
    public static final class Builder {
        private DriverConfig driver;
        private ExecutorConfig executor;
        private boolean dynamicAllocation;
        private Integer minExecutors;
        private Integer maxExecutors;

        private Builder() {
        }

        /** The driver's resources. */
        public Builder driver(DriverConfig driver) {
            this.driver = Checks.nonNull("resources.driver", driver, "a DriverConfig");
            return this;
        }

        /** Each executor's resources. */
        public Builder executor(ExecutorConfig executor) {
            this.executor = Checks.nonNull("resources.executor", executor, "an ExecutorConfig");
            return this;
        }

        /**
         * Lets Spark scale the number of executors between {@link #minExecutors(int)} and
         * {@link #maxExecutors(int)}; {@code maxExecutors} must then be set to at least 1.
         */
        public Builder dynamicAllocation() {
            this.dynamicAllocation = true;
            return this;
        }

        /** The lower bound of executors with dynamic allocation, 0 or more and at most {@code maxExecutors}. */
        public Builder minExecutors(int minExecutors) {
            Checks.atLeast("resources.minExecutors", minExecutors, 0);
            if (maxExecutors != null && minExecutors > maxExecutors) {
                throw Checks.invalid("resources.minExecutors", String.valueOf(minExecutors), "<= resources.maxExecutors, " + maxExecutors);
            }
            this.minExecutors = minExecutors;
            return this;
        }

        /** The upper bound of executors with dynamic allocation, 0 or more and at least {@code minExecutors}. */
        public Builder maxExecutors(int maxExecutors) {
            Checks.atLeast("resources.maxExecutors", maxExecutors, 0);
            if (minExecutors != null && maxExecutors < minExecutors) {
                throw Checks.invalid("resources.maxExecutors", String.valueOf(maxExecutors), ">= resources.minExecutors, " + minExecutors);
            }
            this.maxExecutors = maxExecutors;
            return this;
        }

        /** The resources set so far; fails when dynamic allocation is on without {@code maxExecutors} of at least 1. */
        public ResourceConfig build() {
            if (dynamicAllocation && (maxExecutors == null || maxExecutors == 0)) {
                throw new IllegalStateException("resources.maxExecutors: " + (maxExecutors == null ? "not set" : "0")
                        + " (expected: >= 1 with dynamicAllocation())");
            }
            return new ResourceConfig(this);
        }
    }
}
