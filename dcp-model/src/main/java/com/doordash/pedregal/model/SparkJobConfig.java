package com.doordash.pedregal.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a job runs.
 *
 * @param sparkVersion the Spark runtime, for example {@code 3.5}
 * @param jobType {@code BATCH} (the default) or {@code STREAMING}
 * @param coreEtl the CoreETL spec to run (or {@code customJar})
 * @param customJar a Spark application of the team's own to run (or {@code coreEtl})
 * @param resources driver and executor resources; defaults apply when absent
 * @param sparkConfig extra Spark properties ({@code spark.*}) passed to the job
 * @param envVars environment variables of the driver process
 */
public record SparkJobConfig(
        @JsonProperty("spark_version") String sparkVersion,
        @JsonProperty("job_type") JobType jobType,
        @JsonProperty("core_etl") CoreEtlConfig coreEtl,
        @JsonProperty("custom_jar") CustomJarConfig customJar,
        ResourceConfig resources,
        @JsonProperty("spark_config") Map<String, String> sparkConfig,
        @JsonProperty("env_vars") Map<String, String> envVars) {
    public SparkJobConfig {
        sparkConfig = copyOf(sparkConfig);
        envVars = copyOf(envVars);
    }

    /** The job type, {@link JobType#BATCH} when none was given. */
    public JobType effectiveJobType() {
        return jobType == null ? JobType.BATCH : jobType;
    }

    // Keeps the caller's order and lets validation report null values instead of failing here.
    private static Map<String, String> copyOf(Map<String, String> map) {
        return map == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
