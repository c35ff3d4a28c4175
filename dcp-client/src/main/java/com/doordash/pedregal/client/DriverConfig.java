package com.doordash.pedregal.client;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Resources of the Spark driver. Every value is optional; the platform's defaults apply to those left out.
 *
 * <pre>{@code
 * DriverConfig.builder().cores(2).memory("4g").build()
 * }</pre>
 */
public final class DriverConfig {
    private final Integer cores;
    private final String memory;
    private final String memoryOverhead;

    private DriverConfig(Builder builder) {
        this.cores = builder.cores;
        this.memory = builder.memory;
        this.memoryOverhead = builder.memoryOverhead;
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /** CPU cores of the driver, if set. */
    public OptionalInt getCores() {
        return cores == null ? OptionalInt.empty() : OptionalInt.of(cores);
    }

    /** Heap size of the driver such as {@code 4g}, if set. */
    public Optional<String> getMemory() {
        return Optional.ofNullable(memory);
    }

    /** Off-heap allowance of the driver such as {@code 1g}, if set. */
    public Optional<String> getMemoryOverhead() {
        return Optional.ofNullable(memoryOverhead);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DriverConfig that
                && Objects.equals(cores, that.cores)
                && Objects.equals(memory, that.memory)
                && Objects.equals(memoryOverhead, that.memoryOverhead);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cores, memory, memoryOverhead);
    }

    @Override
    public String toString() {
        return "DriverConfig{cores=" + cores + ", memory=" + memory + ", memoryOverhead=" + memoryOverhead + "}";
    }

    /** Builds a {@link DriverConfig}; each value is checked as it is set. */
    public static final class Builder {
        private Integer cores;
        private String memory;
        private String memoryOverhead;

        private Builder() {
        }

        /** CPU cores of the driver, at least 1. */
        public Builder cores(int cores) {
            this.cores = Checks.atLeast("driver.cores", cores, 1);
            return this;
        }

        /** Heap size of the driver, a size like {@code 512m} or {@code 4g}. */
        public Builder memory(String memory) {
            this.memory = Checks.size("driver.memory", memory);
            return this;
        }

        /** Off-heap allowance of the driver, a size like {@code 512m} or {@code 1g}. */
        public Builder memoryOverhead(String memoryOverhead) {
            this.memoryOverhead = Checks.size("driver.memoryOverhead", memoryOverhead);
            return this;
        }

        /** The driver resources set so far. */
        public DriverConfig build() {
            return new DriverConfig(this);
        }
    }
}
