package com.doordash.pedregal.gateway.kubernetes;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.BackendCapabilities;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.RunState;
import com.doordash.pedregal.gateway.RunStatus;
import com.doordash.pedregal.gateway.SparkBackend;
import com.doordash.pedregal.gateway.SparkRuntime;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.internal.LogFiles;
import com.doordash.pedregal.gateway.internal.StripedLocks;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kubernetes} backend: each job a Spark Operator {@code SparkApplication} ({@link SparkApplications}) in
 * the Kubernetes namespace of its team.
 *
 * <p>Status comes from informers, not polling: one watch of the platform's applications and one of their pods per
 * namespace, whatever the number of jobs; {@link #status} reads the informers' caches. The operator's
 * {@code applicationState} maps to the run's state, its {@code errorMessage} to the reason, {@code driverInfo} to the
 * Spark UI. An application still waiting for a driver after {@code gateway.kubernetes.stuck-timeout}, or whose driver
 * pod cannot pull its image, fails with the pod's own reason and is deleted. When a run ends, the driver pod's log is
 * copied into the run's {@code driver.log} and the outcome written to the run folder, before the operator's time to
 * live removes the pod. Cancel deletes the application. An application deleted behind the platform's back is
 * {@link RunState#LOST}. A restarted platform finds its applications again by label.
 */
public final class KubernetesBackend implements SparkBackend {
    private static final Logger log = LoggerFactory.getLogger(KubernetesBackend.class);
    static final String NAME = "kubernetes";
    static final ResourceDefinitionContext SPARK_APPLICATIONS = new ResourceDefinitionContext.Builder()
            .withGroup("sparkoperator.k8s.io").withVersion("v1beta2").withKind(SparkApplications.KIND)
            .withPlural("sparkapplications").withNamespaced(true).build();
    private static final String LOG_FILE = "driver.log";
    /** The run's outcome once it ended: its state on the first line, the reason on the next. */
    private static final String OUTCOME_FILE = "outcome";
    /** The run's Kubernetes namespace, written at launch: an ended run found after a restart keeps its own. */
    private static final String NAMESPACE_FILE = "namespace";
    /** Pod waiting reasons that never resolve by themselves: the job fails with them at once. */
    private static final Set<String> HOPELESS = Set.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName",
            "ErrImageNeverPull", "CreateContainerConfigError", "CreateContainerError");
    /** The index of the driver pods informer: a pod by its execution label, one lookup per status read. */
    private static final String BY_EXECUTION = "execution";
    /** How long an application just created may be missing from the informer's cache (it lags the API server). */
    private static final long CACHE_LAG_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final KubernetesConfig config;
    private final GatewayConfig gatewayConfig;
    private final SparkRuntimes runtimes;
    private final KubernetesClient client;
    private final Map<String, SharedIndexInformer<GenericKubernetesResource>> applications = new LinkedHashMap<>();
    private final Map<String, SharedIndexInformer<Pod>> pods = new LinkedHashMap<>();
    /** Runs this server created, by execution id: when (nanoTime), for the informer's lag. */
    private final Map<String, Long> created = new ConcurrentHashMap<>();
    /** Locks of {@link #end}, by execution id's hash: one caller at a time per run. */
    private final StripedLocks endings = new StripedLocks(64);

    /** A backend on the API server of {@code config}, keeping runs' logs in the runs folder of {@code gatewayConfig}. */
    public KubernetesBackend(KubernetesConfig config, GatewayConfig gatewayConfig, SparkRuntimes runtimes) {
        this.config = requireNonNull(config, "config is null");
        this.gatewayConfig = requireNonNull(gatewayConfig, "gatewayConfig is null");
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.client = KubernetesApi.client(config);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Checks that the API server answers and lets the platform list its applications and pods in every job namespace,
     * then starts the informers: a platform configured with a kubernetes backend does not start without its API.
     */
    @Override
    public void start() {
        for (String namespace : namespaces()) {
            call("list sparkapplications in namespace " + namespace, () -> client.genericKubernetesResources(SPARK_APPLICATIONS)
                    .inNamespace(namespace).list(new ListOptionsBuilder().withLimit(1L).build()));
            call("list pods in namespace " + namespace, () -> client.pods().inNamespace(namespace)
                    .list(new ListOptionsBuilder().withLimit(1L).build()));
        }
        for (String namespace : namespaces()) {
            SharedIndexInformer<GenericKubernetesResource> apps = client.genericKubernetesResources(SPARK_APPLICATIONS)
                    .inNamespace(namespace).withLabel(SparkApplications.LABEL_BACKEND, SparkApplications.BACKEND)
                    .runnableInformer(0);
            SharedIndexInformer<Pod> driverPods = client.pods().inNamespace(namespace)
                    .withLabel(SparkApplications.LABEL_BACKEND, SparkApplications.BACKEND)
                    .withLabel("spark-role", "driver")
                    .runnableInformer(0)
                    .addIndexers(Map.of(BY_EXECUTION, KubernetesBackend::executionLabel));
            applications.put(namespace, apps);
            pods.put(namespace, driverPods);
            try {
                apps.start().toCompletableFuture().get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
                driverPods.start().toCompletableFuture().get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (Exception e) {
                throw new PlatformException(ErrorCode.UNAVAILABLE, "the Kubernetes API at " + masterUrl()
                        + " did not let the platform watch namespace " + namespace + ": " + e.getMessage());
            }
        }
        log.info("Kubernetes backend on {}: namespaces {}, image {}", masterUrl(), namespaces(), config.image("{version}"));
    }

    @Override
    public void close() {
        applications.values().forEach(SharedIndexInformer::close);
        pods.values().forEach(SharedIndexInformer::close);
        client.close();
    }

    /** The largest driver, executor and executor count the cluster grants one job, from configuration. */
    @Override
    public BackendCapabilities capabilities() {
        // Only runtimes whose image can be a Spark-on-Kubernetes driver and executor.
        Set<String> versions = new TreeSet<>();
        for (String version : runtimes.versions()) {
            if (runtimes.runtime(version).runsOnKubernetes()) {
                versions.add(version);
            }
        }
        return new BackendCapabilities(versions, config.maxDriverCores(), config.maxDriverMemory(),
                config.maxExecutorCores(), config.maxExecutorMemory(), config.maxExecutors());
    }

    @Override
    public BackendRun launch(LaunchRequest request) {
        SparkRuntime runtime = runtimes.runtime(request.sparkVersion());
        String namespace = config.namespaceOf(request.team());
        Map<String, Object> application = SparkApplications.of(request, runtime, namespace, config,
                SparkApplications.withoutCredentials(gatewayConfig.catalog().sparkConf()));
        Path runDir = runDir(request.executionId());
        try {
            Files.createDirectories(runDir);
            Files.writeString(runDir.resolve(NAMESPACE_FILE), namespace + "\n", StandardCharsets.UTF_8);
            Files.writeString(runDir.resolve(LOG_FILE), "=== dcp: execution " + request.executionId() + " of '"
                    + request.name() + "' (team " + request.team() + ") on backend kubernetes, SparkApplication "
                    + namespace + "/" + SparkApplications.name(request.executionId()) + ", image "
                    + config.image(runtime.version()) + ", created " + Instant.now() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create the run folder of execution " + request.executionId(), e);
        }
        GenericKubernetesResource resource = client.getKubernetesSerialization().convertValue(application,
                GenericKubernetesResource.class);
        call("create SparkApplication " + SparkApplications.name(request.executionId()) + " in namespace " + namespace,
                () -> client.genericKubernetesResources(SPARK_APPLICATIONS).inNamespace(namespace).resource(resource)
                        .create());
        created.put(request.executionId(), System.nanoTime());
        log.info("Created SparkApplication {}/{} for execution {}", namespace, SparkApplications.name(request.executionId()),
                request.executionId());
        return new BackendRun(NAME, request.executionId(), runId(namespace, request.executionId()));
    }

    @Override
    public RunStatus status(BackendRun run) {
        Path runDir = runDir(run.executionId());
        Optional<RunStatus> ended = outcome(runDir);
        if (ended.isPresent()) {
            return ended.get();
        }
        String namespace = namespaceOf(run);
        String name = SparkApplications.name(run.executionId());
        GenericKubernetesResource application = cached(namespace, name);
        if (application != null) {
            created.remove(run.executionId()); // the watch has seen it: from now on a miss means it is gone
        }
        else {
            Long since = created.get(run.executionId());
            if (since != null && System.nanoTime() - since < CACHE_LAG_NANOS) {
                return new RunStatus(RunState.STARTING, null, null);
            }
            // Not in the cache: make sure with the API server itself before calling the run lost.
            Optional<GenericKubernetesResource> live = Optional.ofNullable(call("read SparkApplication " + name,
                    () -> client.genericKubernetesResources(SPARK_APPLICATIONS).inNamespace(namespace).withName(name).get()));
            if (live.isEmpty()) {
                return end(run, new RunStatus(RunState.LOST, null, "the SparkApplication " + namespace + "/" + name
                        + " was deleted outside the platform before it ended"), null);
            }
            application = live.get();
        }
        Map<String, Object> status = map(application.getAdditionalProperties().get("status"));
        Map<String, Object> appState = map(status.get("applicationState"));
        String state = String.valueOf(appState.getOrDefault("state", ""));
        String error = (String) appState.get("errorMessage");
        String uiUrl = uiUrl(map(status.get("driverInfo")));
        switch (state) {
            case "COMPLETED":
                return end(run, new RunStatus(RunState.SUCCEEDED, uiUrl, null), driverPod(namespace, run.executionId()));
            case "FAILED":
                return end(run, new RunStatus(RunState.FAILED, uiUrl, error == null || error.isBlank()
                        ? "the Spark application failed (the operator gave no reason)" : error),
                        driverPod(namespace, run.executionId()));
            case "SUBMISSION_FAILED":
                return end(run, new RunStatus(RunState.FAILED, null, "the operator could not submit the application: "
                        + (error == null || error.isBlank() ? "no reason given" : error)), driverPod(namespace, run.executionId()));
            case "RUNNING", "SUCCEEDING", "FAILING":
                return new RunStatus(RunState.RUNNING, uiUrl, null);
            case "UNKNOWN":
                return new RunStatus(RunState.RUNNING, uiUrl, "the operator cannot see the driver (UNKNOWN)");
            default:
                // "" (new), SUBMITTED, PENDING_RERUN, INVALIDATING, SUSPENDING, SUSPENDED, RESUMING: no driver running.
                return waiting(run, application, state, driverPod(namespace, run.executionId()));
        }
    }

    /** A run without a running driver yet: fails when its driver pod cannot start, or it waited too long. */
    private RunStatus waiting(BackendRun run, GenericKubernetesResource application, String state, Pod driver) {
        Optional<String> hopeless = hopelessReason(driver);
        if (hopeless.isPresent()) {
            deleteQuietly(run);
            return end(run, new RunStatus(RunState.FAILED, null, hopeless.get()), driver);
        }
        Instant since = createdAt(application);
        if (since != null && Duration.between(since, Instant.now()).compareTo(config.stuckTimeout()) > 0) {
            deleteQuietly(run);
            String pod = driver == null ? "no driver pod was created"
                    : "driver pod " + driver.getMetadata().getName() + " is " + podPhase(driver);
            return end(run, new RunStatus(RunState.FAILED, null, "the SparkApplication stayed "
                    + (state.isEmpty() ? "unsubmitted" : state) + " for more than " + config.stuckTimeout()
                    + " without a running driver (gateway.kubernetes.stuck-timeout): " + pod), driver);
        }
        return new RunStatus(RunState.STARTING, null, state.isEmpty() ? null : "the operator reports " + state);
    }

    /** Why the driver pod can never start (it cannot pull its image, say), in the pod's own words. */
    private static Optional<String> hopelessReason(Pod driver) {
        if (driver == null || driver.getStatus() == null || driver.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        for (ContainerStatus container : driver.getStatus().getContainerStatuses()) {
            if (container.getState() != null && container.getState().getWaiting() != null
                    && HOPELESS.contains(container.getState().getWaiting().getReason())) {
                String message = container.getState().getWaiting().getMessage();
                return Optional.of("driver pod " + driver.getMetadata().getName() + " cannot start: "
                        + container.getState().getWaiting().getReason() + (message == null ? "" : ": " + message));
            }
        }
        return Optional.empty();
    }

    /**
     * Keeps what an ended run leaves: the driver pod's log appended to the run's log (before the operator's time to
     * live removes the pod) and the outcome; idempotent, one caller at a time per run.
     */
    private RunStatus end(BackendRun run, RunStatus status, Pod driver) {
        Path runDir = runDir(run.executionId());
        synchronized (endings.of(run.executionId())) {
            Optional<RunStatus> ended = outcome(runDir);
            if (ended.isPresent()) {
                return ended.get();
            }
            try {
                Files.createDirectories(runDir);
                if (driver != null) {
                    String podLog = driverLog(namespaceOf(run), driver.getMetadata().getName(), OptionalInt.empty());
                    Files.writeString(runDir.resolve(LOG_FILE), podLog, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                }
                Files.writeString(runDir.resolve(LOG_FILE), "=== dcp: " + status.state() + (status.message() == null
                        ? "" : ": " + status.message()) + " at " + Instant.now() + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                Files.writeString(runDir.resolve(OUTCOME_FILE), status.state() + "\n"
                        + (status.message() == null ? "" : status.message().replace('\n', ' ')) + "\n"
                        + (status.sparkUiUrl() == null ? "" : status.sparkUiUrl()) + "\n", StandardCharsets.UTF_8);
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot keep the outcome of execution " + run.executionId(), e);
            }
            created.remove(run.executionId());
            return status;
        }
    }

    private static Optional<RunStatus> outcome(Path runDir) {
        return LogFiles.readIfExists(runDir.resolve(OUTCOME_FILE)).map(text -> {
            List<String> lines = text.lines().toList();
            RunState state = RunState.valueOf(lines.get(0).strip());
            String message = lines.size() > 1 && !lines.get(1).isBlank() ? lines.get(1) : null;
            String ui = lines.size() > 2 && !lines.get(2).isBlank() ? lines.get(2) : null;
            return new RunStatus(state, ui, message);
        });
    }

    /** Deletes the application; the run then ends FAILED "cancelled", its driver's log kept. */
    @Override
    public void cancel(BackendRun run) {
        if (outcome(runDir(run.executionId())).isPresent()) {
            return;
        }
        Pod driver = driverPod(namespaceOf(run), run.executionId());
        end(run, new RunStatus(RunState.FAILED, null, "cancelled: the platform deleted the SparkApplication"), driver);
        deleteQuietly(run);
    }

    private void deleteQuietly(BackendRun run) {
        String name = SparkApplications.name(run.executionId());
        try {
            call("delete SparkApplication " + name, () -> client.genericKubernetesResources(SPARK_APPLICATIONS)
                    .inNamespace(namespaceOf(run)).withName(name).delete());
        }
        catch (PlatformException e) {
            log.warn("Cannot delete SparkApplication {} of execution {}: {}", name, run.executionId(), e.getMessage());
        }
    }

    @Override
    public String logs(BackendRun run, OptionalInt tailLines) {
        Path logFile = runDir(run.executionId()).resolve(LOG_FILE);
        String kept = LogFiles.readCapped(logFile);
        if (outcome(runDir(run.executionId())).isEmpty()) {
            Pod driver = driverPod(namespaceOf(run), run.executionId());
            if (driver != null) {
                kept = kept + driverLog(namespaceOf(run), driver.getMetadata().getName(), tailLines);
            }
        }
        return tailLines.isPresent() ? LogFiles.lastLines(kept, tailLines.getAsInt()) : kept;
    }

    /** The application of {@code executionId}, by label in the informers' caches; or its ended run, by its outcome. */
    @Override
    public Optional<BackendRun> find(String executionId) {
        String label = SparkApplications.labelValue(executionId);
        for (Map.Entry<String, SharedIndexInformer<GenericKubernetesResource>> entry : applications.entrySet()) {
            for (GenericKubernetesResource application : entry.getValue().getStore().list()) {
                Map<String, String> labels = application.getMetadata().getLabels();
                if (labels != null && label.equals(labels.get(SparkApplications.LABEL_EXECUTION))) {
                    return Optional.of(new BackendRun(NAME, executionId, runId(entry.getKey(), executionId)));
                }
            }
        }
        Path runDir = runDir(executionId);
        return outcome(runDir).map(ended -> new BackendRun(NAME, executionId, runId(LogFiles.readIfExists(
                runDir.resolve(NAMESPACE_FILE)).map(String::strip).orElse(config.namespace()), executionId)));
    }

    /** The driver pod's log, or a note saying why there is none. */
    private String driverLog(String namespace, String pod, OptionalInt tailLines) {
        try {
            var logs = client.pods().inNamespace(namespace).withName(pod);
            String text = tailLines.isPresent() ? logs.tailingLines(tailLines.getAsInt()).getLog() : logs.getLog();
            return text == null ? "" : text;
        }
        catch (KubernetesClientException e) {
            return "=== dcp: the log of driver pod " + pod + " could not be read: " + e.getCode() + " "
                    + LogFiles.firstLine(e.getMessage()) + "\n";
        }
    }

    private GenericKubernetesResource cached(String namespace, String name) {
        SharedIndexInformer<GenericKubernetesResource> informer = applications.get(namespace);
        return informer == null ? null : informer.getStore().getByKey(namespace + "/" + name);
    }

    private Pod driverPod(String namespace, String executionId) {
        SharedIndexInformer<Pod> informer = pods.get(namespace);
        if (informer == null) {
            return null;
        }
        return informer.getIndexer().byIndex(BY_EXECUTION, SparkApplications.labelValue(executionId)).stream()
                .findFirst().orElse(null);
    }

    /** The pod's execution label, for the index. */
    private static List<String> executionLabel(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        String execution = labels == null ? null : labels.get(SparkApplications.LABEL_EXECUTION);
        return execution == null ? List.of() : List.of(execution);
    }

    private static String podPhase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "without a phase" : pod.getStatus().getPhase();
    }

    private static Instant createdAt(GenericKubernetesResource application) {
        String timestamp = application.getMetadata().getCreationTimestamp();
        try {
            return timestamp == null ? null : Instant.parse(timestamp);
        }
        catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String uiUrl(Map<String, Object> driverInfo) {
        Object address = driverInfo.get("webUIIngressAddress");
        if (address == null) {
            address = driverInfo.get("webUIAddress");
        }
        if (address == null || address.toString().isBlank()) {
            return null;
        }
        String text = address.toString();
        return text.startsWith("http://") || text.startsWith("https://") ? text : "http://" + text;
    }

    /** The job namespaces: the default one and every team's. */
    Set<String> namespaces() {
        Set<String> namespaces = new LinkedHashSet<>();
        namespaces.add(config.namespace());
        namespaces.addAll(config.teamNamespaces().values());
        return namespaces;
    }

    private static String runId(String namespace, String executionId) {
        return namespace + "/" + SparkApplications.name(executionId);
    }

    private String namespaceOf(BackendRun run) {
        int slash = run.runId().indexOf('/');
        return slash > 0 ? run.runId().substring(0, slash) : config.namespace();
    }

    private Path runDir(String executionId) {
        return gatewayConfig.runsDir().resolve(executionId);
    }

    private String masterUrl() {
        return KubernetesApi.masterUrl(client);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private <T> T call(String what, KubernetesApi.Call<T> call) {
        return KubernetesApi.call(client, what, call);
    }
}
