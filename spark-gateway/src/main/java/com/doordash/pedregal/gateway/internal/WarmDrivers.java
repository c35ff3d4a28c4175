package com.doordash.pedregal.gateway.internal;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.model.driver.Assignment;
import com.doordash.pedregal.model.driver.DriverClasses;
import com.doordash.pedregal.model.driver.DriverConf;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a warm driver ({@code WarmDriverMain}, of any backend's hot pool) can take from a job and what it is handed:
 * the one policy of which jobs start cold and of the assignment.
 */
public final class WarmDrivers {
    /** Settings that mean nothing to a driver whose executors are its threads: a warm driver ignores them as a cold one does. */
    private static final List<String> IGNORED = List.of("spark.executor.", "spark.dynamicAllocation.",
            "spark.driver.cores", "spark.driver.memoryOverhead");
    /** SQL settings read only when a session starts: a job setting them needs its own driver. */
    private static final Set<String> STATIC_SQL = Set.of("spark.sql.extensions", "spark.sql.warehouse.dir",
            "spark.sql.catalogImplementation", "spark.sql.queryExecutionListeners",
            "spark.sql.streaming.streamingQueryListeners", "spark.sql.cache.serializer", "spark.sql.hive.metastore.jars",
            "spark.sql.hive.metastore.version", "spark.sql.ui.retainedExecutions", "spark.sql.event.truncate.length");
    /**
     * Platform settings the driver reads only when the job runs, so a warm driver takes them with the job's SQL settings:
     * what its wall enforces (a playground's namespace, the namespaces a team writes, whether its SQL may reach the JVM).
     * The team is set at hand-off too; the other {@code spark.pedregal.*} keys are set by the backend itself.
     */
    private static final Set<String> RUN_TIME_PLATFORM_KEYS = Set.of(DriverConf.PLAYGROUND_NAMESPACE,
            DriverConf.WRITE_NAMESPACES, DriverConf.CUSTOM_CODE);

    private WarmDrivers() {
    }

    /**
     * Why {@code request} cannot run on a warm driver whatever its size, or empty when it can: custom jars, environment
     * variables and settings read when a driver starts need a driver of their own.
     */
    public static Optional<String> whyCold(LaunchRequest request) {
        if (!request.application().isCoreEtlJob()) {
            return Optional.of("warm drivers run CoreETL jobs, not custom jars");
        }
        if (!request.envVars().isEmpty()) {
            return Optional.of("the job sets environment variables, which need a driver of its own");
        }
        for (String key : request.sparkConf().keySet()) {
            if (IGNORED.stream().noneMatch(key::startsWith) && !isRunTimeSetting(key)) {
                return Optional.of("spark_config." + key + " is read when a driver starts");
            }
        }
        return Optional.empty();
    }

    /** Whether a warm driver can take {@code key} when the job starts: a session setting, or a run-time platform key. */
    private static boolean isRunTimeSetting(String key) {
        return (key.startsWith("spark.sql.") && !key.startsWith("spark.sql.catalog.") && !STATIC_SQL.contains(key))
                || RUN_TIME_PLATFORM_KEYS.contains(key);
    }

    /** The settings of {@code sparkConf} a warm driver sets on its session before it runs the job ({@code sql_conf}). */
    public static Map<String, String> runTimeConf(Map<String, String> sparkConf) {
        Map<String, String> conf = new LinkedHashMap<>();
        sparkConf.forEach((key, value) -> {
            if (isRunTimeSetting(key)) {
                conf.put(key, value);
            }
        });
        return conf;
    }

    /** Whether {@code application} is one of the platform's own tools (never run on a warm driver). */
    public static boolean isPlatformTool(Application application) {
        return application.usesPlatformJar() && !DriverClasses.CORE_ETL_MAIN.equals(application.mainClass());
    }

    /**
     * What a warm driver is handed for {@code request}: the job, its run-time settings and team, where it writes its
     * events ({@code eventsFile}, a path the driver sees) and its log ({@code logFile}, null for its standard output).
     */
    public static Assignment assignment(LaunchRequest request, String eventsFile, String logFile, boolean reusable) {
        Map<String, String> sqlConf = runTimeConf(request.sparkConf());
        sqlConf.put(DriverConf.TEAM, request.team());
        return new Assignment(request.executionId(), request.application().mainClass(), request.application().args(),
                sqlConf, eventsFile, logFile, reusable, System.currentTimeMillis());
    }
}
