package com.doordash.pedregal.runner.policy;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator's policy for what teams may submit — key family {@code policy.*}. Lists are comma-separated; in
 * patterns {@code *} stands for any text.
 *
 * @param sparkConfigAllowed the {@code spark_config} keys a team may set — {@code policy.spark-config.allowed};
 *     {@code spark.sql.*} keys must also pass {@link com.doordash.pedregal.model.SessionSettings}
 * @param sparkConfigDenied keys refused even when allowed — {@code policy.spark-config.denied}
 * @param customCodeTeams teams that may run code of their own: custom jars, the keys of {@code customCodeSparkConfig},
 *     and SQL that reaches the JVM ({@code reflect}, {@code java_method}, functions from classes) —
 *     {@code policy.custom-code.teams}; never in a playground
 * @param customCodeSparkConfig the keys that load code, for those teams only — {@code policy.custom-code.spark-config}
 * @param jarLocations where custom jars (and {@code spark.jars} entries) may come from: absolute folders or
 *     {@code http(s)://host/path/} prefixes — {@code policy.custom-code.jar-locations}
 * @param envVarsDenied environment variables no job may set — {@code policy.env-vars.denied}
 * @param writeNamespaces per team, the namespaces of the {@code pedregal} catalog its jobs may write —
 *     {@code policy.write-namespaces.<team>}; playground namespaces ({@code pg_*}) are never granted here
 * @param callbackAllowedHosts the hosts ({@code host}, {@code *.domain}, {@code host:port}, or {@code *} for any
 *     host that is not loopback or link-local) callbacks may go to — {@code policy.callbacks.allowed-hosts}
 */
public record PolicyConfig(
        List<String> sparkConfigAllowed,
        List<String> sparkConfigDenied,
        Set<String> customCodeTeams,
        List<String> customCodeSparkConfig,
        List<String> jarLocations,
        List<String> envVarsDenied,
        Map<String, List<String>> writeNamespaces,
        List<String> callbackAllowedHosts) {
    /** Resource and tuning settings every team may set, beside the {@code spark.sql.*} session settings. */
    public static final String DEFAULT_SPARK_CONFIG_ALLOWED = String.join(", ",
            "spark.sql.*", "spark.executor.memory", "spark.executor.cores", "spark.executor.instances",
            "spark.executor.memoryOverhead", "spark.driver.cores", "spark.driver.memoryOverhead",
            "spark.dynamicAllocation.enabled", "spark.dynamicAllocation.minExecutors",
            "spark.dynamicAllocation.maxExecutors", "spark.dynamicAllocation.initialExecutors",
            "spark.dynamicAllocation.executorIdleTimeout", "spark.dynamicAllocation.schedulerBacklogTimeout",
            "spark.default.parallelism", "spark.memory.fraction", "spark.memory.storageFraction",
            "spark.task.cpus", "spark.task.maxFailures", "spark.speculation", "spark.speculation.*",
            "spark.locality.wait", "spark.locality.wait.*", "spark.network.timeout", "spark.shuffle.compress",
            "spark.shuffle.spill.compress", "spark.shuffle.file.buffer", "spark.reducer.maxSizeInFlight",
            "spark.io.compression.codec", "spark.rdd.compress", "spark.broadcast.compress",
            "spark.kryoserializer.buffer", "spark.kryoserializer.buffer.max");
    /** The settings that load code of the job's own. */
    public static final String DEFAULT_CUSTOM_CODE_SPARK_CONFIG = String.join(", ", "spark.jars", "spark.plugins",
            "spark.sql.queryExecutionListeners", "spark.kryo.registrator", "spark.kryo.classesToRegister",
            "spark.serializer");
    /** Loader, JVM option, path, shell and Spark/Hadoop home variables, and the platform's own. */
    public static final String DEFAULT_ENV_VARS_DENIED = String.join(", ", "LD_*", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
            "JDK_JAVA_OPTIONS", "JAVA_OPTS", "JAVA_HOME", "CLASSPATH", "PATH", "HOME", "USER", "LOGNAME", "SHELL",
            "TMPDIR", "BASH_ENV", "ENV", "IFS", "PS4", "GCONV_PATH", "LOCPATH", "NLSPATH", "MALLOC_*", "GLIBC_*",
            "SPARK_*", "HADOOP_*", "YARN_*", "HIVE_*", "PYSPARK_*", "PYTHON*", "KRB5*", "DCP_*");
    /**
     * The embedded default: the seed's team {@code data-infra} writes {@code derived} (unless {@code
     * policy.write-namespaces.data-infra} says otherwise; empty for nothing).
     */
    public static final Map<String, List<String>> DEFAULT_WRITE_NAMESPACES = Map.of("data-infra", List.of("derived"));
    private static final String WRITE_NAMESPACES = "policy.write-namespaces.";

    public PolicyConfig {
        sparkConfigAllowed = List.copyOf(sparkConfigAllowed);
        sparkConfigDenied = List.copyOf(sparkConfigDenied);
        customCodeTeams = Set.copyOf(customCodeTeams);
        customCodeSparkConfig = List.copyOf(customCodeSparkConfig);
        jarLocations = List.copyOf(jarLocations);
        envVarsDenied = List.copyOf(envVarsDenied);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        requireNonNull(writeNamespaces, "writeNamespaces is null").forEach((team, namespaces) ->
                copy.put(team, List.copyOf(namespaces)));
        writeNamespaces = java.util.Collections.unmodifiableMap(copy);
        callbackAllowedHosts = List.copyOf(callbackAllowedHosts);
        new CallbackTargets(callbackAllowedHosts); // fails on an entry it cannot read
        for (String location : jarLocations) {
            if (!location.startsWith("/") && !location.startsWith("http://") && !location.startsWith("https://")) {
                throw new IllegalArgumentException("policy.custom-code.jar-locations: \"" + location
                        + "\" is neither an absolute folder nor an http(s):// prefix");
            }
        }
        writeNamespaces.forEach((team, namespaces) -> namespaces.forEach(namespace -> {
            // Playground namespaces (pg_*) belong to their owners: no grant may name them (they are also left out when
            // a job is checked, whatever the pattern).
            if (!namespace.matches("[A-Za-z0-9_][A-Za-z0-9_*]*") || namespace.toLowerCase(java.util.Locale.ROOT).startsWith("pg_")) {
                throw new IllegalArgumentException(WRITE_NAMESPACES + team + ": \"" + namespace + "\" is not a namespace"
                        + " pattern (letters, digits, '_', and '*' after the first character; not pg_*, the playgrounds')");
            }
        }));
    }

    /** Reads the {@code policy.*} keys. */
    public static PolicyConfig from(ConfigProperties properties) {
        Map<String, List<String>> writeNamespaces = new LinkedHashMap<>(DEFAULT_WRITE_NAMESPACES);
        for (String team : properties.keysUnder(WRITE_NAMESPACES)) {
            writeNamespaces.put(team, properties.list(WRITE_NAMESPACES + team, ""));
        }
        return new PolicyConfig(
                properties.list("policy.spark-config.allowed", DEFAULT_SPARK_CONFIG_ALLOWED),
                properties.list("policy.spark-config.denied", ""),
                Set.copyOf(properties.list("policy.custom-code.teams", "")),
                properties.list("policy.custom-code.spark-config", DEFAULT_CUSTOM_CODE_SPARK_CONFIG),
                properties.list("policy.custom-code.jar-locations", ""),
                properties.list("policy.env-vars.denied", DEFAULT_ENV_VARS_DENIED),
                writeNamespaces,
                properties.list("policy.callbacks.allowed-hosts", "*"));
    }
}
