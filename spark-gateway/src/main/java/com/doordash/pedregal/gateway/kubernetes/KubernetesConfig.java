package com.doordash.pedregal.gateway.kubernetes;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.ByteSize;
import com.doordash.pedregal.model.config.ConfigProperties;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Configuration of the kubernetes backend: each job a Spark Operator {@code SparkApplication}.
 *
 * @param masterUrl the API server — {@code gateway.kubernetes.master-url}; empty (the default) for the client's own
 *     discovery: the pod's service account in a cluster, else {@code KUBECONFIG} / {@code ~/.kube/config}
 * @param namespace where jobs run — {@code gateway.kubernetes.namespace}, default {@code spark-jobs}
 * @param teamNamespaces where one team's jobs run instead — {@code gateway.kubernetes.team-namespaces},
 *     {@code team=namespace} pairs, comma-separated
 * @param image the runtime image of a {@code spark_version} — {@code gateway.kubernetes.image}, default
 *     {@code dcp-spark:{version}}
 * @param serviceAccount the driver pods' service account (the operator's chart creates {@code spark-operator-spark}) —
 *     {@code gateway.kubernetes.service-account}, default {@code spark}
 * @param maxDriverCores the most cores one driver gets (the largest node's) — {@code gateway.kubernetes.max-driver-cores}
 * @param maxDriverMemory the most memory one driver pod gets, heap and overhead — {@code gateway.kubernetes.max-driver-memory}
 * @param maxExecutorCores — {@code gateway.kubernetes.max-executor-cores}
 * @param maxExecutorMemory — {@code gateway.kubernetes.max-executor-memory}
 * @param maxExecutors the most executors one job gets (the namespace's quota) — {@code gateway.kubernetes.max-executors}
 * @param stuckTimeout how long an application may stay submitted without a running driver before it fails —
 *     {@code gateway.kubernetes.stuck-timeout}, default 5 min
 * @param timeToLive how long the operator keeps an ended application and its pods — {@code gateway.kubernetes.ttl},
 *     default 1 h (the platform copies the driver's log before)
 * @param requestTimeout one call to the API server — {@code gateway.kubernetes.request-timeout}, default 30 s
 * @param credentialsSecret the Secret of each job namespace (and of the test cluster's) whose keys become the pods'
 *     credentials ({@link #CREDENTIAL_KEYS}); empty for none — {@code gateway.kubernetes.credentials-secret}, default
 *     {@code dcp-job-credentials}
 */
public record KubernetesConfig(String masterUrl, String namespace, Map<String, String> teamNamespaces, String image,
        String serviceAccount, int maxDriverCores, long maxDriverMemory, int maxExecutorCores, long maxExecutorMemory,
        int maxExecutors, Duration stuckTimeout, Duration timeToLive, Duration requestTimeout, String credentialsSecret) {
    /** Where the image name takes the job's Spark version. */
    public static final String VERSION = "{version}";
    /**
     * The keys of the credentials Secret and the pod environment variable each becomes: the AWS SDK's own variables
     * (S3FileIO, S3A), and the catalog's secrets as {@code SPARK_CONF_*} variables, which the image's driver mode writes
     * into the driver's properties file (never onto its command line).
     */
    public static final Map<String, String> CREDENTIAL_KEYS = credentialKeys();
    /** A Kubernetes namespace name (RFC 1123 label). */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** A Secret's name (RFC 1123 subdomain). */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    public KubernetesConfig {
        requireNonNull(masterUrl, "masterUrl is null");
        requireNonNull(namespace, "namespace is null");
        teamNamespaces = Map.copyOf(requireNonNull(teamNamespaces, "teamNamespaces is null"));
        requireNonNull(image, "image is null");
        requireNonNull(serviceAccount, "serviceAccount is null");
        requireNonNull(stuckTimeout, "stuckTimeout is null");
        requireNonNull(timeToLive, "timeToLive is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(credentialsSecret, "credentialsSecret is null");
        if (!credentialsSecret.isEmpty() && !NAME.matcher(credentialsSecret).matches()) {
            throw new IllegalArgumentException("gateway.kubernetes.credentials-secret: \"" + credentialsSecret
                    + "\" is not a Secret name (lower-case letters, digits, '-' and '.', at most 253)");
        }
        checkNamespace("gateway.kubernetes.namespace", namespace);
        teamNamespaces.values().forEach(value -> checkNamespace("gateway.kubernetes.team-namespaces", value));
        if (!image.contains(VERSION)) {
            throw new IllegalArgumentException("gateway.kubernetes.image: \"" + image + "\" does not name the runtime's"
                    + " version (expected a name with " + VERSION + ", e.g. registry.example.com/dcp-spark:" + VERSION + ")");
        }
    }

    /** Whether {@code gateway.kubernetes.enabled} is set: the kubernetes backend exists only then. */
    public static boolean enabled(ConfigProperties properties) {
        return properties.bool("gateway.kubernetes.enabled", false);
    }

    /** Reads the {@code gateway.kubernetes.*} keys. */
    public static KubernetesConfig from(ConfigProperties properties) {
        Map<String, String> teams = new LinkedHashMap<>();
        String text = properties.string("gateway.kubernetes.team-namespaces", "");
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] pair = entry.split("=", 2);
            if (pair.length != 2 || pair[0].isBlank() || pair[1].isBlank()) {
                throw new IllegalArgumentException("gateway.kubernetes.team-namespaces: \"" + entry.strip()
                        + "\" is not team=namespace");
            }
            teams.put(pair[0].strip(), pair[1].strip());
        }
        return new KubernetesConfig(
                properties.string("gateway.kubernetes.master-url", ""),
                properties.string("gateway.kubernetes.namespace", "spark-jobs"),
                teams,
                properties.string("gateway.kubernetes.image", "dcp-spark:" + VERSION),
                properties.string("gateway.kubernetes.service-account", "spark"),
                properties.integer("gateway.kubernetes.max-driver-cores", 4, 1, 1024),
                properties.bytes("gateway.kubernetes.max-driver-memory", ByteSize.bytes("16g")),
                properties.integer("gateway.kubernetes.max-executor-cores", 8, 1, 1024),
                properties.bytes("gateway.kubernetes.max-executor-memory", ByteSize.bytes("32g")),
                properties.integer("gateway.kubernetes.max-executors", 50, 0, 100_000),
                properties.duration("gateway.kubernetes.stuck-timeout", Duration.ofMinutes(5)),
                properties.duration("gateway.kubernetes.ttl", Duration.ofHours(1)),
                properties.duration("gateway.kubernetes.request-timeout", Duration.ofSeconds(30)),
                properties.string("gateway.kubernetes.credentials-secret", "dcp-job-credentials"));
    }

    /** The image of runtime {@code sparkVersion}. */
    public String image(String sparkVersion) {
        return image.replace(VERSION, sparkVersion);
    }

    /** The Kubernetes namespace of {@code team}'s jobs. */
    public String namespaceOf(String team) {
        return teamNamespaces.getOrDefault(team, namespace);
    }

    private static Map<String, String> credentialKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID");
        keys.put("AWS_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY");
        keys.put("AWS_SESSION_TOKEN", "AWS_SESSION_TOKEN");
        keys.put("CATALOG_JDBC_PASSWORD", "SPARK_CONF_spark_sql_catalog_pedregal_jdbc_password");
        keys.put("CATALOG_REST_TOKEN", "SPARK_CONF_spark_sql_catalog_pedregal_token");
        keys.put("CATALOG_REST_CREDENTIAL", "SPARK_CONF_spark_sql_catalog_pedregal_credential");
        return java.util.Collections.unmodifiableMap(keys);
    }

    private static void checkNamespace(String key, String value) {
        if (!NAMESPACE.matcher(value).matches()) {
            throw new IllegalArgumentException(key + ": \"" + value + "\" is not a Kubernetes namespace name"
                    + " (lower-case letters, digits and '-', at most 63)");
        }
    }
}
