package com.doordash.pedregal.gateway.kubernetes;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.SparkRuntime;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared Spark Connect test cluster as the seed's {@code SparkApplication} {@code dcp-test-cluster}, what the
 * supervisor of {@code connect.TestCluster} does on Kubernetes: create it (with a Secret for its token and a Service in
 * front of its driver), read its state from the operator's status, delete it. One name per namespace, so there is never
 * a second one: an application a platform left behind (killed before it could delete it) is replaced.
 */
public final class KubernetesTestCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KubernetesTestCluster.class);
    /** The application's and the Service's name, as in the seed. */
    public static final String NAME = "dcp-test-cluster";
    /** The Secret holding the cluster's Spark Connect token, and its key. */
    static final String TOKEN_SECRET = NAME + "-token";
    static final String TOKEN_KEY = "token";
    /** The label of the cluster's application, pods, Service and Secret; the Service selects the driver by it. */
    static final String LABEL_ROLE = "pedregal.doordash.com/role";
    static final String ROLE = "test-cluster";
    /** What the operator reports when a run of the application ended without the operator starting another. */
    private static final Set<String> ENDED = Set.of("FAILED", "SUBMISSION_FAILED", "COMPLETED");
    private static final long DELETE_WAIT_MILLIS = 30_000;

    /** The sizes of the cluster: the driver's and the executors'. */
    public record Resources(int driverCores, long driverMemory, int executors, int executorCores, long executorMemory) {
    }

    private final KubernetesConfig config;
    private final String namespace;
    private final KubernetesClient client;

    /** The cluster in {@code namespace} of the API server of {@code config}, from its runtime images. */
    public KubernetesTestCluster(KubernetesConfig config, String namespace) {
        this.config = requireNonNull(config, "config is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.client = KubernetesApi.client(config);
    }

    /**
     * Checks that the API server answers and lets the platform read the applications of the namespace.
     *
     * @throws com.doordash.pedregal.model.error.PlatformException UNAVAILABLE naming the API server and what failed
     */
    public void check() {
        KubernetesApi.call(client, "list sparkapplications in namespace " + namespace,
                () -> client.genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace(namespace)
                        .list(new ListOptionsBuilder().withLimit(1L).build()));
    }

    /** Where the operator runs the cluster's driver: {@code namespace/name}, for messages. */
    public String describe() {
        return "SparkApplication " + namespace + "/" + NAME + " on " + KubernetesApi.masterUrl(client);
    }

    /**
     * Starts the cluster: writes {@code token} into the Secret, makes sure the Service exists, deletes an application
     * left by an earlier start and creates the new one, of {@code runtime}'s image with {@code sparkConf} (credentials
     * are dropped: the pods get theirs from their environment).
     */
    public void launch(SparkRuntime runtime, String token, Map<String, String> sparkConf, Resources resources) {
        Map<String, String> labels = Map.of(LABEL_ROLE, ROLE);
        Secret secret = new SecretBuilder().withNewMetadata().withName(TOKEN_SECRET).withNamespace(namespace)
                .withLabels(labels).endMetadata().withType("Opaque").addToStringData(TOKEN_KEY, token).build();
        KubernetesApi.call(client, "write Secret " + TOKEN_SECRET + " in namespace " + namespace,
                () -> client.secrets().inNamespace(namespace).resource(secret).createOr(NonDeletingOperation::update));
        if (KubernetesApi.call(client, "read Service " + NAME, () -> client.services().inNamespace(namespace)
                .withName(NAME).get()) == null) {
            Service service = new ServiceBuilder().withNewMetadata().withName(NAME).withNamespace(namespace)
                    .withLabels(labels).endMetadata()
                    .withNewSpec().withType("ClusterIP").addToSelector(LABEL_ROLE, ROLE).addToSelector("spark-role", "driver")
                    .addNewPort().withName("spark-connect").withProtocol("TCP").withPort(CONNECT_PORT)
                    .withNewTargetPort(CONNECT_PORT).endPort().endSpec().build();
            KubernetesApi.call(client, "create Service " + NAME + " in namespace " + namespace,
                    () -> client.services().inNamespace(namespace).resource(service).create());
        }
        if (application().isPresent()) {
            log.info("Replacing {} left by an earlier start", describe());
            deleteApplication();
        }
        Map<String, String> conf = new LinkedHashMap<>(SparkApplications.withoutCredentials(sparkConf));
        conf.put("spark.connect.grpc.binding.address", "0.0.0.0");
        conf.put("spark.connect.grpc.binding.port", Integer.toString(CONNECT_PORT));
        Map<String, Object> application = SparkApplications.testCluster(NAME, namespace, config.image(runtime.version()),
                runtime.sparkVersion(), config, conf, labels, resources, TOKEN_SECRET, TOKEN_KEY);
        GenericKubernetesResource resource = client.getKubernetesSerialization().convertValue(application,
                GenericKubernetesResource.class);
        KubernetesApi.call(client, "create " + describe(), () -> client.genericKubernetesResources(
                KubernetesBackend.SPARK_APPLICATIONS).inNamespace(namespace).resource(resource).create());
    }

    /** The Spark Connect port of the driver and the Service. */
    public static final int CONNECT_PORT = 15_002;

    /**
     * Why the application no longer runs: it was deleted, or the operator reports it ended without starting another run;
     * empty while it is submitted, running or being restarted by the operator.
     */
    public Optional<String> ended() {
        Optional<GenericKubernetesResource> application = application();
        if (application.isEmpty()) {
            return Optional.of("was deleted (" + describe() + ")");
        }
        Object status = application.get().getAdditionalProperties().get("status");
        if (status instanceof Map<?, ?> fields && fields.get("applicationState") instanceof Map<?, ?> state) {
            Object name = state.get("state");
            if (name != null && ENDED.contains(name.toString())) {
                Object message = state.get("errorMessage");
                return Optional.of("ended: the operator reports " + name
                        + (message == null || message.toString().isBlank() ? "" : ": " + message));
            }
        }
        return Optional.empty();
    }

    /** Appends the driver's log to {@code logFile} and deletes the application; the Service and Secret stay. */
    public void delete(Path logFile) {
        try {
            String text = client.pods().inNamespace(namespace).withName(NAME + "-driver").getLog();
            if (text != null && !text.isEmpty()) {
                Files.writeString(logFile, "=== dcp: log of driver pod " + namespace + "/" + NAME + "-driver\n" + text,
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
        catch (KubernetesClientException | IOException e) {
            log.info("Cannot keep the log of the test cluster's driver pod: {}", e.toString());
        }
        deleteApplication();
    }

    @Override
    public void close() {
        client.close();
    }

    private Optional<GenericKubernetesResource> application() {
        return Optional.ofNullable(KubernetesApi.call(client, "read " + describe(),
                () -> client.genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace(namespace)
                        .withName(NAME).get()));
    }

    /** Deletes the application and waits until the API server no longer has it (its pods go with it). */
    private void deleteApplication() {
        KubernetesApi.call(client, "delete " + describe(), () -> client.genericKubernetesResources(
                KubernetesBackend.SPARK_APPLICATIONS).inNamespace(namespace).withName(NAME).delete());
        long deadline = System.nanoTime() + DELETE_WAIT_MILLIS * 1_000_000;
        while (application().isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(describe() + " is still there " + DELETE_WAIT_MILLIS / 1000
                        + " s after it was deleted");
            }
            try {
                Thread.sleep(250);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while deleting " + describe(), e);
            }
        }
    }
}
