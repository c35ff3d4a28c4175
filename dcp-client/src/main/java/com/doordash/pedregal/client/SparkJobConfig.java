package com.doordash.pedregal.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a job runs: the Spark runtime, the job type, what to run (a CoreETL spec or a custom jar), the
 * resources, and extra Spark properties and environment variables.
 *
 * <pre>{@code
 * SparkJobConfig.builder()
 *     .sparkVersion("3.5")
 *     .jobType("BATCH")
 *     .coreEtl(CoreETLConfig.builder().version("2.7.0").jobSpec(jobSpecJson).build())
 *     .resources(ResourceConfig.builder()
 *         .driver(DriverConfig.builder().cores(2).memory("4g").build())
 *         .executor(ExecutorConfig.builder().instances(5).cores(4).memory("8g").build())
 *         .build())
 *     .build()
 * }</pre>
 */
public final class SparkJobConfig {
    private final String sparkVersion;
    private final String jobType;
    private final CoreETLConfig coreEtl;
    private final CustomJarConfig customJar;
    private final ResourceConfig resources;
    private final Map<String, String> sparkConfig;
    private final Map<String, String> envVars;

    private SparkJobConfig(Builder builder) {
        this.sparkVersion = builder.sparkVersion;
        this.jobType = builder.jobType;
        this.coreEtl = builder.coreEtl;
        this.customJar = builder.customJar;
        this.resources = builder.resources;
        this.sparkConfig = Collections.unmodifiableMap(new LinkedHashMap<>(builder.sparkConfig));
        this.envVars = Collections.unmodifiableMap(new LinkedHashMap<>(builder.envVars));
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /** The Spark runtime, such as {@code 3.5}. */
    public String getSparkVersion() {
        return sparkVersion;
    }

    /** {@code BATCH} or {@code STREAMING}, if set; the server runs {@code BATCH} when it is not. */
    public Optional<String> getJobType() {
        return Optional.ofNullable(jobType);
    }

    /** The CoreETL spec to run, unless the job runs a custom jar. */
    public Optional<CoreETLConfig> getCoreEtl() {
        return Optional.ofNullable(coreEtl);
    }

    /** The custom jar to run, unless the job runs a CoreETL spec. */
    public Optional<CustomJarConfig> getCustomJar() {
        return Optional.ofNullable(customJar);
    }

    /** The resources, if set; the platform's defaults apply when they are not. */
    public Optional<ResourceConfig> getResources() {
        return Optional.ofNullable(resources);
    }

    /** Extra Spark properties, in the order they were set; empty when none were. */
    public Map<String, String> getSparkConfig() {
        return sparkConfig;
    }

    /** Environment variables of the driver, in the order they were set; empty when none were. */
    public Map<String, String> getEnvVars() {
        return envVars;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparkJobConfig that
                && sparkVersion.equals(that.sparkVersion)
                && Objects.equals(jobType, that.jobType)
                && Objects.equals(coreEtl, that.coreEtl)
                && Objects.equals(customJar, that.customJar)
                && Objects.equals(resources, that.resources)
                && sparkConfig.equals(that.sparkConfig)
                && envVars.equals(that.envVars);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sparkVersion, jobType, coreEtl, customJar, resources, sparkConfig, envVars);
    }

    // Environment variables may hold secrets, so only their names are shown.
    @Override
    public String toString() {
        return "SparkJobConfig{sparkVersion=" + sparkVersion + ", jobType=" + jobType + ", coreEtl=" + coreEtl
                + ", customJar=" + customJar + ", resources=" + resources + ", sparkConfig=" + sparkConfig
                + ", envVars=" + envVars.keySet() + "}";
    }

    /** Builds a {@link SparkJobConfig}; each value is checked as it is set. */
    public static final class Builder {
        private String sparkVersion;
        private String jobType;
        private CoreETLConfig coreEtl;
        private CustomJarConfig customJar;
        private ResourceConfig resources;
        private final Map<String, String> sparkConfig = new LinkedHashMap<>();
        private final Map<String, String> envVars = new LinkedHashMap<>();

        private Builder() {
        }

        /** The Spark runtime, such as {@code 3.5}; the server decides which versions it supports. */
        public Builder sparkVersion(String sparkVersion) {
            this.sparkVersion = Checks.nonBlank("config.sparkVersion", sparkVersion);
            return this;
        }

        /** {@code BATCH} (runs to an end) or {@code STREAMING} (runs until cancelled), in any case. */
        public Builder jobType(String jobType) {
            String type = jobType == null ? null : jobType.trim().toUpperCase(Locale.ROOT);
            if (!"BATCH".equals(type) && !"STREAMING".equals(type)) {
                throw Checks.invalid("config.jobType", Checks.quote(jobType), "BATCH or STREAMING");
            }
            this.jobType = type;
            return this;
        }

        /** The CoreETL spec to run; a job runs either a CoreETL spec or a custom jar. */
        public Builder coreEtl(CoreETLConfig coreEtl) {
            Checks.nonNull("config.coreEtl", coreEtl, "a CoreETLConfig");
            if (customJar != null) {
                throw new IllegalArgumentException("config.coreEtl: set while config.customJar is set "
                        + "(expected: either coreEtl or customJar, not both)");
            }
            this.coreEtl = coreEtl;
            return this;
        }

        /** A Spark application of the team's own to run; a job runs either a CoreETL spec or a custom jar. */
        public Builder customJar(CustomJarConfig customJar) {
            Checks.nonNull("config.customJar", customJar, "a CustomJarConfig");
            if (coreEtl != null) {
                throw new IllegalArgumentException("config.customJar: set while config.coreEtl is set "
                        + "(expected: either coreEtl or customJar, not both)");
            }
            this.customJar = customJar;
            return this;
        }

        /** The driver and executor resources. */
        public Builder resources(ResourceConfig resources) {
            this.resources = Checks.nonNull("config.resources", resources, "a ResourceConfig");
            return this;
        }

        /**
         * Adds extra Spark properties (keys start with {@code spark.}); a key set before is replaced. The
         * server refuses the properties the platform owns, such as {@code spark.master}.
         */
        public Builder sparkConfig(Map<String, String> sparkConfig) {
            Checks.nonNull("config.sparkConfig", sparkConfig, "a map of Spark properties");
            sparkConfig.forEach(this::sparkConfig);
            return this;
        }

        /** Adds one Spark property (the key starts with {@code spark.}); a key set before is replaced. */
        public Builder sparkConfig(String key, String value) {
            if (key == null || !key.startsWith("spark.") || key.length() == "spark.".length()) {
                throw Checks.invalid("config.sparkConfig", Checks.quote(key), "a Spark property name starting with \"spark.\"");
            }
            sparkConfig.put(key, Checks.nonNull("config.sparkConfig[\"" + key + "\"]", value, "a string"));
            return this;
        }

        /** Adds environment variables of the driver; a name set before is replaced. */
        public Builder envVars(Map<String, String> envVars) {
            Checks.nonNull("config.envVars", envVars, "a map of environment variables");
            envVars.forEach(this::envVar);
            return this;
        }

        /** Adds one environment variable of the driver; a name set before is replaced. */
        public Builder envVar(String name, String value) {
            Checks.envName("config.envVars", name);
            envVars.put(name, Checks.nonNull("config.envVars[\"" + name + "\"]", value, "a string"));
            return this;
        }

        /** The job configuration; fails when {@code sparkVersion}, or both {@code coreEtl} and {@code customJar}, are missing. */
        public SparkJobConfig build() {
            Checks.required("config.sparkVersion", sparkVersion, "a Spark version such as 3.5");
            if (coreEtl == null && customJar == null) {
                throw new IllegalStateException("config.coreEtl: not set (expected: a CoreETLConfig, or a CustomJarConfig in customJar)");
            }
            return new SparkJobConfig(this);
        }
    }
}
