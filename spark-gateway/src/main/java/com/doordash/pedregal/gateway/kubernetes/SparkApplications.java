package com.doordash.pedregal.gateway.kubernetes;

import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.SparkRuntime;
import com.doordash.pedregal.gateway.internal.SparkContainers;
import com.doordash.pedregal.model.ByteSize;
import com.doordash.pedregal.model.driver.DriverConf;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Spark Operator's {@code sparkoperator.k8s.io/v1beta2} {@code SparkApplication} of one job, as the plain map the
 * API server takes: the runtime image, the CoreETL jar (or the job's jar) with its arguments, the job's settings with
 * the platform's, driver and executor sizes, dynamic allocation when asked, {@code restartPolicy: Never}, a time to
 * live, the platform's labels on the application and its pods, the job's environment variables.
 */
final class SparkApplications {
    static final String API_VERSION = "sparkoperator.k8s.io/v1beta2";
    static final String KIND = "SparkApplication";
    /** Labels of every application and pod the backend makes. */
    static final String LABEL_BACKEND = "pedregal.doordash.com/backend";
    static final String LABEL_EXECUTION = "pedregal.doordash.com/execution-id";
    static final String LABEL_TEAM = "pedregal.doordash.com/team";
    static final String LABEL_NAMESPACE = "pedregal.doordash.com/namespace";
    static final String BACKEND = "kubernetes";
    /** Where a driver pod writes the platform's events: its own, nothing reads it across the cluster. */
    private static final String EVENTS_IN_POD = "/tmp/dcp-events.jsonl";
    /** The schemes a job's jar may have: what a pod of the cluster can fetch or find in its image. */
    private static final Set<String> JAR_SCHEMES = Set.of("local", "s3", "s3a", "https", "http", "hdfs", "gs", "abfss");
    /** Settings the application's structured fields carry instead. */
    private static final Set<String> STRUCTURED = Set.of("spark.driver.cores", "spark.driver.memory",
            "spark.driver.memoryOverhead", "spark.executor.instances", "spark.executor.cores", "spark.executor.memory",
            "spark.executor.memoryOverhead", "spark.dynamicAllocation.enabled", "spark.dynamicAllocation.minExecutors",
            "spark.dynamicAllocation.maxExecutors", "spark.dynamicAllocation.initialExecutors",
            "spark.kubernetes.namespace", "spark.kubernetes.container.image",
            "spark.kubernetes.authenticate.driver.serviceAccountName");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    private SparkApplications() {
    }

    /** The application's name: {@code dcp-<execution id>}, a DNS label as the operator's pod and service names need. */
    static String name(String executionId) {
        String name = ("dcp-" + executionId).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return name.length() <= 63 ? name : name.substring(0, 54) + "-" + hash(executionId).substring(0, 8);
    }

    /**
     * The application of {@code request} on {@code runtime} in Kubernetes namespace {@code namespace}, with
     * {@code platformConf} (the catalog's settings without credentials) under the job's own.
     */
    static Map<String, Object> of(LaunchRequest request, SparkRuntime runtime, String namespace, KubernetesConfig config,
            Map<String, String> platformConf) {
        Map<String, String> labels = labels(request);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name(request.executionId()));
        metadata.put("namespace", namespace);
        metadata.put("labels", labels);

        Map<String, String> conf = request.sparkConf();
        Map<String, String> sparkConf = new LinkedHashMap<>();
        conf.forEach((key, value) -> {
            if (!STRUCTURED.contains(key)) {
                sparkConf.put(key, value);
            }
        });
        sparkConf.putAll(platformConf);
        sparkConf.put("spark.ui.killEnabled", "false");
        sparkConf.putAll(DriverConf.forDriver(request.executionId(), request.team(), EVENTS_IN_POD,
                !request.application().usesPlatformJar(), conf.get("spark.extraListeners")));

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("type", "Scala");
        spec.put("mode", "cluster");
        spec.put("sparkVersion", runtime.sparkVersion());
        spec.put("image", config.image(runtime.version()));
        spec.put("imagePullPolicy", "IfNotPresent");
        spec.put("mainClass", request.application().mainClass());
        spec.put("mainApplicationFile", applicationFile(request));
        if (!request.application().args().isEmpty()) {
            spec.put("arguments", request.application().args());
        }
        spec.put("sparkConf", sparkConf);
        spec.put("restartPolicy", Map.of("type", "Never"));
        spec.put("timeToLiveSeconds", config.timeToLive().toSeconds());

        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("cores", request.driverCores());
        driver.put("memory", ByteSize.toMebibytes(request.driverMemoryBytes()));
        putIfSet(driver, "memoryOverhead", conf.get("spark.driver.memoryOverhead"));
        driver.put("serviceAccount", config.serviceAccount());
        driver.put("labels", labels);
        putIfAny(driver, "env", env(request.envVars(), config));
        spec.put("driver", driver);

        Map<String, Object> executor = new LinkedHashMap<>();
        executor.put("instances", Integer.parseInt(conf.getOrDefault("spark.executor.instances", "1")));
        executor.put("cores", Integer.parseInt(conf.getOrDefault("spark.executor.cores", "1")));
        executor.put("memory", conf.getOrDefault("spark.executor.memory", "1g"));
        putIfSet(executor, "memoryOverhead", conf.get("spark.executor.memoryOverhead"));
        executor.put("labels", labels);
        putIfAny(executor, "env", env(request.envVars(), config));
        spec.put("executor", executor);

        if (Boolean.parseBoolean(conf.getOrDefault("spark.dynamicAllocation.enabled", "false"))) {
            Map<String, Object> dynamic = new LinkedHashMap<>();
            dynamic.put("enabled", true);
            putIntIfSet(dynamic, "initialExecutors", conf.get("spark.dynamicAllocation.initialExecutors"));
            putIntIfSet(dynamic, "minExecutors", conf.get("spark.dynamicAllocation.minExecutors"));
            putIntIfSet(dynamic, "maxExecutors", conf.get("spark.dynamicAllocation.maxExecutors"));
            spec.put("dynamicAllocation", dynamic);
        }

        return application(metadata, spec);
    }

    /**
     * The shared test cluster as the seed's {@code SparkApplication}: the Spark Connect server of the runtime image
     * ({@code mainClass} {@code SparkConnectServer}, the CoreETL jar for the read-only extensions), restarted by the
     * operator whatever its end ({@code restartPolicy: Always}, no time to live), its token from a Secret into the
     * driver's environment (never in the application), the role label on the application and its pods.
     */
    static Map<String, Object> testCluster(String name, String namespace, String image, String sparkVersion,
            KubernetesConfig config, Map<String, String> sparkConf, Map<String, String> labels,
            KubernetesTestCluster.Resources resources, String tokenSecret, String tokenKey) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        metadata.put("labels", labels);

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("type", "Scala");
        spec.put("mode", "cluster");
        spec.put("sparkVersion", sparkVersion);
        spec.put("image", image);
        spec.put("imagePullPolicy", "IfNotPresent");
        spec.put("mainClass", SparkRuntime.CONNECT_SERVER_CLASS);
        spec.put("mainApplicationFile", "local://" + SparkContainers.SPARK_HOME.resolve("app").resolve("coreetl.jar"));
        spec.put("sparkConf", sparkConf);
        spec.put("restartPolicy", Map.of("type", "Always", "onFailureRetryInterval", 10,
                "onSubmissionFailureRetryInterval", 20));

        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("cores", resources.driverCores());
        driver.put("memory", ByteSize.toMebibytes(resources.driverMemory()));
        driver.put("serviceAccount", config.serviceAccount());
        driver.put("labels", labels);
        List<Map<String, Object>> driverEnv = new ArrayList<>(env(Map.of(), config));
        driverEnv.add(secretEnv("SPARK_CONNECT_AUTHENTICATE_TOKEN", tokenSecret, tokenKey, false));
        driver.put("env", driverEnv);
        spec.put("driver", driver);

        Map<String, Object> executor = new LinkedHashMap<>();
        executor.put("instances", resources.executors());
        executor.put("cores", resources.executorCores());
        executor.put("memory", ByteSize.toMebibytes(resources.executorMemory()));
        executor.put("labels", labels);
        putIfAny(executor, "env", env(Map.of(), config));
        spec.put("executor", executor);

        return application(metadata, spec);
    }

    private static Map<String, Object> application(Map<String, Object> metadata, Map<String, Object> spec) {
        Map<String, Object> application = new LinkedHashMap<>();
        application.put("apiVersion", API_VERSION);
        application.put("kind", KIND);
        application.put("metadata", metadata);
        application.put("spec", spec);
        return application;
    }

    /** The catalog's settings a pod may see in an application: its credentials come from the pod's environment. */
    static Map<String, String> withoutCredentials(Map<String, String> catalogConf) {
        Map<String, String> conf = new LinkedHashMap<>();
        catalogConf.forEach((key, value) -> {
            String lower = key.toLowerCase(java.util.Locale.ROOT);
            if (!(lower.contains("password") || lower.contains("secret") || lower.contains("token")
                    || lower.contains("credential") || lower.contains("access-key") || lower.contains("access.key"))) {
                conf.put(key, value);
            }
        });
        return conf;
    }

    /** The labels of the application and its pods. */
    static Map<String, String> labels(LaunchRequest request) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_BACKEND, BACKEND);
        labels.put(LABEL_EXECUTION, labelValue(request.executionId()));
        labels.put(LABEL_TEAM, labelValue(request.team()));
        labels.put(LABEL_NAMESPACE, labelValue(request.namespace()));
        return labels;
    }

    /** {@code value} when it is a valid label value, else a hash of it (labels select; the run keeps the names). */
    static String labelValue(String value) {
        return LABEL_VALUE.matcher(value).matches() && value.length() <= 63 ? value : "h-" + hash(value).substring(0, 40);
    }

    /** The runtime image's CoreETL jar, or the job's jar when a pod of the cluster can fetch it. */
    private static String applicationFile(LaunchRequest request) {
        if (request.application().usesPlatformJar()) {
            return "local://" + SparkContainers.SPARK_HOME.resolve("app").resolve("coreetl.jar");
        }
        String jar = request.application().jar();
        int colon = jar.indexOf("://");
        if (colon <= 0 || !JAR_SCHEMES.contains(jar.substring(0, colon))) {
            throw new PlatformException(ErrorCode.INVALID_REQUEST, "the kubernetes backend cannot run the jar " + jar
                    + ": a pod of the cluster cannot see this machine's files; give it as local:// (in the image), s3://,"
                    + " https:// or hdfs://", "jar_path");
        }
        return jar;
    }

    /**
     * A pod's environment: the job's variables, then the platform's credentials from the credentials Secret of the
     * namespace (each key optional: a pod starts without the ones the Secret lacks). A job's variable of the same name
     * as a credential is dropped: the platform's wins.
     */
    private static List<Map<String, Object>> env(Map<String, String> envVars, KubernetesConfig config) {
        List<Map<String, Object>> env = new ArrayList<>();
        Set<String> platform = config.credentialsSecret().isEmpty() ? Set.of()
                : Set.copyOf(KubernetesConfig.CREDENTIAL_KEYS.values());
        envVars.forEach((name, value) -> {
            if (!platform.contains(name)) {
                Map<String, Object> variable = new LinkedHashMap<>();
                variable.put("name", name);
                variable.put("value", value);
                env.add(variable);
            }
        });
        if (!config.credentialsSecret().isEmpty()) {
            KubernetesConfig.CREDENTIAL_KEYS.forEach((key, variable) ->
                    env.add(secretEnv(variable, config.credentialsSecret(), key, true)));
        }
        return env;
    }

    private static Map<String, Object> secretEnv(String name, String secret, String key, boolean optional) {
        Map<String, Object> reference = new LinkedHashMap<>();
        reference.put("name", secret);
        reference.put("key", key);
        if (optional) {
            reference.put("optional", true);
        }
        Map<String, Object> variable = new LinkedHashMap<>();
        variable.put("name", name);
        variable.put("valueFrom", Map.of("secretKeyRef", reference));
        return variable;
    }

    private static void putIfAny(Map<String, Object> target, String key, List<?> values) {
        if (!values.isEmpty()) {
            target.put(key, values);
        }
    }

    private static void putIfSet(Map<String, Object> target, String key, String value) {
        if (value != null && !value.isBlank()) {
            target.put(key, value);
        }
    }

    private static void putIntIfSet(Map<String, Object> target, String key, String value) {
        if (value != null && !value.isBlank()) {
            target.put(key, Integer.parseInt(value.strip()));
        }
    }

    private static String hash(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
