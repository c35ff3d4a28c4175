package com.doordash.pedregal.client;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Resources of the Spark executors. Every value is optional; the platform's defaults apply to those left out.
 *
 * <pre>{@code
 * ExecutorConfig.builder().instances(5).cores(4).memory("8g").build()
 * }</pre>
 */
public final class ExecutorConfig {
    private final Integer instances;
    private final Integer cores;
    private final String memory;
    private final String memoryOverhead;

    private ExecutorConfig(Builder builder) {
        this.instances = builder.instances;
        this.cores = builder.cores;
        this.memory = builder.memory;
        this.memoryOverhead = builder.memoryOverhead;
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of executors, if set. */
    public OptionalInt getInstances() {
        return instances == null ? OptionalInt.empty() : OptionalInt.of(instances);
    }

    /** CPU cores per executor, if set. */
    public OptionalInt getCores() {
        return cores == null ? OptionalInt.empty() : OptionalInt.of(cores);
    }

    /** Heap size per executor such as {@code 8g}, if set. */
    public Optional<String> getMemory() {
        return Optional.ofNullable(memory);
    }

    /** Off-heap allowance per executor such as {@code 1g}, if set. */
    public Optional<String> getMemoryOverhead() {
        return Optional.ofNullable(memoryOverhead);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExecutorConfig that
                && Objects.equals(instances, that.instances)
                && Objects.equals(cores, that.cores)
                && Objects.equals(memory, that.memory)
                && Objects.equals(memoryOverhead, that.memoryOverhead);
    }

    @Override
    public int hashCode() {
        return Objects.hash(instances, cores, memory, memoryOverhead);
    }

    @Override
    public String toString() {
        return "ExecutorConfig{instances=" + instances + ", cores=" + cores + ", memory=" + memory
                + ", memoryOverhead=" + memoryOverhead + "}";
    }

    /** Builds an {@link ExecutorConfig}; each value is checked as it is set. */
    public static final class Builder {
        private Integer instances;
        private Integer cores;
        private String memory;
        private String memoryOverhead;

        private Builder() {
        }

        /** The number of executors, 0 or more. */
        public Builder instances(int instances) {
            this.instances = Checks.atLeast("executor.instances", instances, 0);
            return this;
        }

        /** CPU cores per executor, at least 1. */
        public Builder cores(int cores) {
            this.cores = Checks.atLeast("executor.cores", cores, 1);
            return this;
        }

        /** Heap size per executor, a size like {@code 512m} or {@code 8g}. */
        public Builder memory(String memory) {
            this.memory = Checks.size("executor.memory", memory);
            return this;
        }

        /** Off-heap allowance per executor, a size like {@code 512m} or {@code 1g}. */
        public Builder memoryOverhead(String memoryOverhead) {
            this.memoryOverhead = Checks.size("executor.memoryOverhead", memoryOverhead);
            return this;
        }

        /** The executor resources set so far. */
        public ExecutorConfig build() {
            return new ExecutorConfig(this);
        }
    }
}
