package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.PlacementException;
import com.doordash.pedregal.gateway.ResourceRequest;
import com.doordash.pedregal.gateway.RouteKey;
import com.doordash.pedregal.model.ByteSize;
import com.doordash.pedregal.model.CustomJarConfig;
import com.doordash.pedregal.model.DriverConfig;
import com.doordash.pedregal.model.ExecutorConfig;
import com.doordash.pedregal.model.ResourceConfig;
import com.doordash.pedregal.model.SparkJobConfig;
import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.driver.DriverConf;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.runner.policy.SubmitPolicy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a request into what the gateway takes — the route, the resources, the launch — with the defaults Spark applies
 * to what a request leaves out, written here once: driver 1 core and {@code runner.default-driver-memory}; an executor
 * section without instances means 1 executor of 1 core and 1 GiB.
 */
final class LaunchPlanner {
    private static final int DEFAULT_CORES = 1;
    private static final int DEFAULT_EXECUTORS = 1;
    private static final long DEFAULT_EXECUTOR_MEMORY = ByteSize.bytes("1g");

    private final RunnerConfig config;
    private final SubmitPolicy policy;

    LaunchPlanner(RunnerConfig config, SubmitPolicy policy) {
        this.config = requireNonNull(config, "config is null");
        this.policy = requireNonNull(policy, "policy is null");
    }

    /** What the router looks at for {@code request} in {@code namespace}. */
    static RouteKey routeKey(SubmitJobRequest request, String namespace) {
        return new RouteKey(request.team(), namespace, request.config().sparkVersion(),
                request.config().effectiveJobType().name());
    }

    /** The resources {@code config} asks for, counting the defaults; memory includes any overhead it names. */
    ResourceRequest resources(SparkJobConfig config) {
        ResourceConfig resources = config.resources();
        DriverConfig driver = resources == null ? null : resources.driver();
        ExecutorConfig executor = resources == null ? null : resources.executor();
        int executors = 0;
        if (resources != null && resources.dynamicAllocationEnabled()) {
            executors = resources.effectiveMaxExecutors() != null ? resources.effectiveMaxExecutors() : 0;
        }
        else if (executor != null) {
            executors = executor.instances() != null ? executor.instances() : DEFAULT_EXECUTORS;
        }
        return new ResourceRequest(driverCores(driver), driverMemory(driver) + bytes(driver == null ? null : driver.memoryOverhead()),
                executors,
                executor == null || executor.cores() == null ? DEFAULT_CORES : executor.cores(),
                (executor == null || executor.memory() == null ? DEFAULT_EXECUTOR_MEMORY : ByteSize.bytes(executor.memory()))
                        + bytes(executor == null ? null : executor.memoryOverhead()));
    }

    /** The field of a request at fault for a placement failure, with the gateway's reason. */
    static InvalidRequestException invalid(PlacementException e) {
        String field = switch (e.resource()) {
            case SPARK_VERSION -> "config.spark_version";
            case DRIVER_CORES -> "config.resources.driver.cores";
            case DRIVER_MEMORY -> "config.resources.driver.memory";
            case EXECUTORS -> "config.resources.executor.instances";
            case EXECUTOR_CORES -> "config.resources.executor.cores";
            case EXECUTOR_MEMORY -> "config.resources.executor.memory";
        };
        return new InvalidRequestException(field, e.getMessage());
    }

    /** Everything the backend needs to start the driver of {@code job}. */
    LaunchRequest launchRequest(Job job) {
        SubmitJobRequest request = job.request();
        SparkJobConfig config = request.config();
        ResourceConfig resources = config.resources();
        DriverConfig driver = resources == null ? null : resources.driver();
        Map<String, String> sparkConf = new LinkedHashMap<>(config.sparkConfig());
        sparkConf.putAll(resourceConf(resources));
        if (job.inPlayground()) {
            sparkConf.put(DriverConf.PLAYGROUND_NAMESPACE, JobRunner.PLAYGROUND_CATALOG + "." + job.namespace());
        }
        // What the driver's wall enforces: the namespaces the job may write, and whether its SQL may reach the JVM.
        sparkConf.putAll(policy.driverConf(request.team(), job.namespace()));
        return new LaunchRequest(job.executionId(), request.name(), request.team(), job.namespace(),
                config.effectiveJobType().name(), config.sparkVersion(), application(config), sparkConf, config.envVars(),
                driverCores(driver), driverMemory(driver));
    }

    private int driverCores(DriverConfig driver) {
        return driver == null || driver.cores() == null ? DEFAULT_CORES : driver.cores();
    }

    private long driverMemory(DriverConfig driver) {
        return driver == null || driver.memory() == null ? config.defaultDriverMemory() : ByteSize.bytes(driver.memory());
    }

    private static long bytes(String size) {
        return size == null ? 0 : ByteSize.bytes(size);
    }

    private static Application application(SparkJobConfig config) {
        CustomJarConfig jar = config.customJar();
        return jar != null
                ? new Application(jar.mainClass(), jar.jarPath(), jar.args())
                : Application.coreEtl(Json.write(config.coreEtl().jobSpec()));
    }

    /** The Spark properties that carry the job's resources; they win over the same keys in {@code spark_config}. */
    static Map<String, String> resourceConf(ResourceConfig resources) {
        Map<String, String> conf = new LinkedHashMap<>();
        if (resources == null) {
            return conf;
        }
        DriverConfig driver = resources.driver();
        if (driver != null) {
            putIfSet(conf, "spark.driver.cores", driver.cores());
            putIfSet(conf, "spark.driver.memoryOverhead", driver.memoryOverhead());
        }
        ExecutorConfig executor = resources.executor();
        if (executor != null) {
            putIfSet(conf, "spark.executor.instances", executor.instances());
            putIfSet(conf, "spark.executor.cores", executor.cores());
            putIfSet(conf, "spark.executor.memory", executor.memory());
            putIfSet(conf, "spark.executor.memoryOverhead", executor.memoryOverhead());
        }
        if (resources.dynamicAllocationEnabled()) {
            conf.put("spark.dynamicAllocation.enabled", "true");
            putIfSet(conf, "spark.dynamicAllocation.minExecutors", resources.effectiveMinExecutors());
            putIfSet(conf, "spark.dynamicAllocation.maxExecutors", resources.effectiveMaxExecutors());
        }
        return conf;
    }

    private static void putIfSet(Map<String, String> conf, String key, Object value) {
        if (value != null) {
            conf.put(key, value.toString());
        }
    }
}
