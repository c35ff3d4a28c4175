package com.doordash.pedregal.gateway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.RunState;
import com.doordash.pedregal.gateway.RunStatus;
import com.doordash.pedregal.gateway.testing.Specs;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kubernetes backend against fabric8's Kubernetes API mock server in CRUD mode (a real HTTP API server with
 * watches, on 127.0.0.1): no cluster and no Spark Operator can run here, so the test plays the operator's part,
 * writing the status transitions the operator writes and the driver pods it makes.
 */
final class KubernetesBackendTest {
    private static final String NS = "spark-jobs";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final CrdSchema CRD = CrdSchema.load("/kubernetes/sparkoperator.k8s.io_sparkapplications.yaml", "v1beta2");

    @RegisterExtension
    static final MockApi api = new MockApi();
    private KubernetesBackend backend;

    @BeforeEach
    void startBackend() {
        backend = backend(Map.of());
        backend.start();
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    @Test
    void theSeedJobBecomesAValidSparkApplicationAndFollowsTheOperatorToItsEnd() throws Exception {
        LaunchRequest request = seedJob();
        BackendRun run = backend.launch(request);

        GenericKubernetesResource stored = application(request.executionId());
        @SuppressWarnings("unchecked")
        Map<String, Object> asStored = api.operator().getKubernetesSerialization().convertValue(stored, Map.class);
        assertThat(CRD.validate(asStored)).isEmpty();
        assertThat(api.operator().getKubernetesSerialization().asJson(stored))
                .doesNotContain("AKIAPLATFORM", "platform-s3-secret", "SimpleAWSCredentialsProvider")
                .contains("\"spark.hadoop.fs.s3a.impl\":\"org.apache.hadoop.fs.s3a.S3AFileSystem\"");
        assertThat(stored.getMetadata().getLabels()).containsEntry(SparkApplications.LABEL_EXECUTION, request.executionId());
        assertThat(backend.status(run).state()).isEqualTo(RunState.STARTING);

        operatorWrites(request.executionId(), Map.of("applicationState", Map.of("state", "SUBMITTED")));
        assertThat(await(run, status -> "the operator reports SUBMITTED".equals(status.message())).state())
                .isEqualTo(RunState.STARTING);

        Pod driver = driverPod(request.executionId(), null);
        api.server().expect().get().withPath("/api/v1/namespaces/" + NS + "/pods/" + driver.getMetadata().getName()
                + "/log?pretty=false").andReturn(200, "INFO CoreEtlMain: wrote 5 rows to pedregal.derived.orders\n").always();
        operatorWrites(request.executionId(), Map.of("applicationState", Map.of("state", "RUNNING"),
                "driverInfo", Map.of("podName", driver.getMetadata().getName(), "webUIAddress", "10.96.0.12:4040")));
        RunStatus running = await(run, status -> status.state() == RunState.RUNNING);
        assertThat(running.sparkUiUrl()).isEqualTo("http://10.96.0.12:4040");

        operatorWrites(request.executionId(), Map.of("applicationState", Map.of("state", "COMPLETED"),
                "driverInfo", Map.of("podName", driver.getMetadata().getName(), "webUIAddress", "10.96.0.12:4040")));
        RunStatus ended = await(run, status -> status.state().isFinal());
        assertThat(ended.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(backend.logs(run, OptionalInt.empty())).contains("on backend kubernetes")
                .contains("wrote 5 rows to pedregal.derived.orders").contains("=== dcp: SUCCEEDED");

        // Kept: once the operator's time to live removed the application and its pod, a restarted platform still knows.
        api.operator().genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace(NS)
                .withName(SparkApplications.name(request.executionId())).delete();
        KubernetesBackend restarted = backend(Map.of());
        try {
            restarted.start();
            assertThat(restarted.find(request.executionId())).contains(run);
            assertThat(restarted.status(run).state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(restarted.logs(run, OptionalInt.empty())).contains("wrote 5 rows");
        }
        finally {
            restarted.close();
        }
    }

    @Test
    void onlyRuntimesWhoseImageRunsOnKubernetesAreOffered() {
        // Spark 4.0's runtime has spark-kubernetes (its image's driver and executor modes); 3.5's has not.
        assertThat(api.runtimes().runtime("4.0").runsOnKubernetes()).isTrue();
        assertThat(api.runtimes().runtime("3.5").runsOnKubernetes()).isFalse();
        assertThat(backend.capabilities().sparkVersions()).containsExactly("4.0");
    }

    @Test
    void everyOperatorStateMapsToTheRunsStateWithTheOperatorsReason() {
        BackendRun failed = backend.launch(seedJob());
        BackendRun refused = backend.launch(seedJob());
        BackendRun rerun = backend.launch(seedJob());
        BackendRun unknown = backend.launch(seedJob());

        operatorWrites(failed.executionId(), Map.of("applicationState", Map.of("state", "FAILED",
                "errorMessage", "driver container failed with ExitCode: 1, Reason: Error")));
        operatorWrites(refused.executionId(), Map.of("applicationState", Map.of("state", "SUBMISSION_FAILED",
                "errorMessage", "failed to run spark-submit: invalid memory \"4gb\"")));
        operatorWrites(rerun.executionId(), Map.of("applicationState", Map.of("state", "PENDING_RERUN")));
        operatorWrites(unknown.executionId(), Map.of("applicationState", Map.of("state", "UNKNOWN")));

        RunStatus afterFailure = await(failed, status -> status.state().isFinal());
        assertThat(afterFailure.state()).isEqualTo(RunState.FAILED);
        assertThat(afterFailure.message()).isEqualTo("driver container failed with ExitCode: 1, Reason: Error");
        RunStatus afterRefusal = await(refused, status -> status.state().isFinal());
        assertThat(afterRefusal.message())
                .isEqualTo("the operator could not submit the application: failed to run spark-submit: invalid memory \"4gb\"");
        assertThat(await(rerun, status -> "the operator reports PENDING_RERUN".equals(status.message())).state())
                .isEqualTo(RunState.STARTING);
        assertThat(await(unknown, status -> status.message() != null).state()).isEqualTo(RunState.RUNNING);
        assertThat(backend.status(unknown).message()).isEqualTo("the operator cannot see the driver (UNKNOWN)");
    }

    @Test
    void aDriverPodThatCannotPullItsImageFailsWithThePodsReasonAndTheApplicationIsDeleted() {
        LaunchRequest request = seedJob();
        BackendRun run = backend.launch(request);
        operatorWrites(request.executionId(), Map.of("applicationState", Map.of("state", "SUBMITTED")));

        driverPod(request.executionId(), "ImagePullBackOff");

        RunStatus status = await(run, s -> s.state().isFinal());
        assertThat(status.state()).isEqualTo(RunState.FAILED);
        assertThat(status.message()).isEqualTo("driver pod " + SparkApplications.name(request.executionId())
                + "-driver cannot start: ImagePullBackOff: Back-off pulling image \"dcp-spark:3.5\"");
        assertThat(api.operator().genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace(NS)
                .withName(SparkApplications.name(request.executionId())).get()).isNull();
    }

    @Test
    void anApplicationStuckWithoutADriverFailsAfterTheStuckTimeout() {
        KubernetesBackend impatient = backend(Map.of("gateway.kubernetes.stuck-timeout", "2s"));
        try {
            impatient.start();
            LaunchRequest request = seedJob();
            BackendRun run = impatient.launch(request);
            operatorWrites(request.executionId(), Map.of("applicationState", Map.of("state", "SUBMITTED")));

            RunStatus status = awaitOn(impatient, run, s -> s.state().isFinal());

            assertThat(status.state()).isEqualTo(RunState.FAILED);
            assertThat(status.message()).isEqualTo("the SparkApplication stayed SUBMITTED for more than PT2S without a"
                    + " running driver (gateway.kubernetes.stuck-timeout): no driver pod was created");
        }
        finally {
            impatient.close();
        }
    }

    @Test
    void anApplicationDeletedBehindThePlatformsBackIsLostAndCancelDeletesOne() {
        BackendRun deleted = backend.launch(seedJob());
        BackendRun cancelled = backend.launch(seedJob());
        operatorWrites(deleted.executionId(), Map.of("applicationState", Map.of("state", "RUNNING")));
        operatorWrites(cancelled.executionId(), Map.of("applicationState", Map.of("state", "RUNNING")));
        await(deleted, status -> status.state() == RunState.RUNNING);
        await(cancelled, status -> status.state() == RunState.RUNNING);

        api.operator().genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace(NS)
                .withName(SparkApplications.name(deleted.executionId())).delete();
        backend.cancel(cancelled);

        RunStatus lost = await(deleted, status -> status.state().isFinal());
        assertThat(lost.state()).isEqualTo(RunState.LOST);
        assertThat(lost.message()).isEqualTo("the SparkApplication " + NS + "/" + SparkApplications.name(deleted.executionId())
                + " was deleted outside the platform before it ended");
        assertThat(backend.status(cancelled).state()).isEqualTo(RunState.FAILED);
        assertThat(backend.status(cancelled).message()).isEqualTo("cancelled: the platform deleted the SparkApplication");
        assertThat(application(cancelled.executionId())).isNull();
        backend.cancel(cancelled); // idempotent
    }

    @Test
    void aRestartedPlatformFindsItsRunningApplicationsByLabel() {
        LaunchRequest request = seedJob();
        BackendRun run = backend.launch(request);
        operatorWrites(request.executionId(), Map.of("applicationState", Map.of("state", "RUNNING")));

        KubernetesBackend restarted = backend(Map.of());
        try {
            restarted.start();
            BackendRun found = restarted.find(request.executionId()).orElseThrow();
            assertThat(found).isEqualTo(run);
            assertThat(awaitOn(restarted, found, status -> status.state() == RunState.RUNNING).state())
                    .isEqualTo(RunState.RUNNING);
            assertThat(restarted.find("exec-never-launched")).isEmpty();
        }
        finally {
            restarted.close();
        }
    }

    @Test
    void anEndedRunOfATeamNamespaceIsFoundInThatNamespaceAfterARestart() {
        Map<String, String> teams = Map.of("gateway.kubernetes.team-namespaces", "growth=growth-jobs");
        KubernetesBackend growth = backend(teams);
        BackendRun run;
        String executionId;
        try {
            growth.start();
            LaunchRequest seed = seedJob();
            executionId = seed.executionId();
            run = growth.launch(new LaunchRequest(executionId, seed.name(), "growth", seed.namespace(), seed.jobType(),
                    seed.sparkVersion(), seed.application(), seed.sparkConf(), seed.envVars(), seed.driverCores(),
                    seed.driverMemoryBytes()));
            assertThat(run.runId()).isEqualTo("growth-jobs/" + SparkApplications.name(executionId));
            writeStatus(api.operator(), "growth-jobs", executionId, Map.of("applicationState", Map.of("state", "COMPLETED")));
            assertThat(awaitOn(growth, run, status -> status.state().isFinal()).state()).isEqualTo(RunState.SUCCEEDED);
        }
        finally {
            growth.close();
        }
        // The operator's time to live removes the application: only the run folder remembers where it ran.
        api.operator().genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace("growth-jobs")
                .withName(SparkApplications.name(executionId)).delete();
        KubernetesBackend restarted = backend(teams);
        try {
            restarted.start();
            assertThat(restarted.find(executionId)).contains(run);
            assertThat(restarted.status(run).state()).isEqualTo(RunState.SUCCEEDED);
        }
        finally {
            restarted.close();
        }
    }

    @Test
    void aHundredConcurrentJobsCostOneWatchNotAHundredPollingLoops() throws Exception {
        drainRequestLog();
        KubernetesBackend watching = backend(Map.of());
        try {
            watching.start();
            List<BackendRun> runs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                runs.add(watching.launch(seedJob()));
            }
            for (BackendRun run : runs) {
                operatorWrites(run.executionId(), Map.of("applicationState", Map.of("state", "RUNNING")));
            }
            // The runner's monitor asks about every run, many times.
            for (int round = 0; round < 10; round++) {
                for (BackendRun run : runs) {
                    watching.status(run);
                }
            }
            for (BackendRun run : runs) {
                awaitOn(watching, run, status -> status.state() == RunState.RUNNING);
            }

            Map<String, Integer> requests = drainRequestLog();
            System.out.println("API requests of a backend's start, 100 jobs and 1,000+ status reads: " + requests);
            // The backend's: at start a check and the informers' list and watch (applications, driver pods), then
            // 100 creates. The operator's (this test): a read and an update per status it writes.
            assertThat(requests).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "GET sparkapplications (list)", 2, "GET sparkapplications (watch)", 1,
                    "GET pods (list)", 2, "GET pods (watch)", 1,
                    "POST sparkapplications", 100,
                    "GET sparkapplications/<name>", 100, "PUT sparkapplications/<name>", 100));
        }
        finally {
            watching.close();
        }
    }

    @Test
    void aWatchThatDropsResumesAndRunsKeepTheirLastKnownStateMeanwhile() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        KubernetesMockServer first = MockApi.apiServer(port);
        KubernetesBackend resilient = new KubernetesBackend(KubernetesConfig.from(new ConfigProperties(Map.of(
                "gateway.kubernetes.master-url", "http://127.0.0.1:" + port, "gateway.kubernetes.namespace", NS,
                "gateway.kubernetes.request-timeout", "3s"))), api.platform(), api.runtimes());
        KubernetesMockServer second = null;
        try {
            resilient.start();
            LaunchRequest request = seedJob();
            BackendRun run = resilient.launch(request);
            try (KubernetesClient firstOperator = first.createClient()) {
                writeStatus(firstOperator, request.executionId(), Map.of("applicationState", Map.of("state", "RUNNING")));
            }
            awaitOn(resilient, run, status -> status.state() == RunState.RUNNING);

            // The API server goes away: the watch drops. The runs keep what was last seen; nothing is lost.
            first.destroy();
            for (int i = 0; i < 10; i++) {
                assertThat(resilient.status(run).state()).isEqualTo(RunState.RUNNING);
                Thread.sleep(100);
            }

            // It comes back at the same address with the cluster's state: the job went on and completed meanwhile.
            second = MockApi.apiServer(port);
            try (KubernetesClient secondOperator = second.createClient()) {
                GenericKubernetesResource application = api.operator().getKubernetesSerialization().convertValue(
                        SparkApplications.of(request, api.runtimes().runtime("3.5"), NS,
                                KubernetesConfig.from(new ConfigProperties(Map.of())), Map.of()),
                        GenericKubernetesResource.class);
                application.setAdditionalProperty("status", Map.of("applicationState", Map.of("state", "RUNNING")));
                secondOperator.genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace(NS)
                        .resource(application).create();
                Thread.sleep(2000);
                writeStatus(secondOperator, request.executionId(), Map.of("applicationState", Map.of("state", "COMPLETED")));
            }

            RunStatus status = awaitOn(resilient, run, s -> s.state().isFinal());
            assertThat(status.state()).isEqualTo(RunState.SUCCEEDED);
        }
        finally {
            resilient.close();
            first.destroy();
            if (second != null) {
                second.destroy();
            }
        }
    }

    @Test
    void anUnreachableSilentOrForbiddenApiStopsTheStartNamingItAndAForbiddenCreateLosesNothing() throws Exception {
        KubernetesBackend unreachable = new KubernetesBackend(KubernetesConfig.from(new ConfigProperties(Map.of(
                "gateway.kubernetes.master-url", "http://127.0.0.1:9", "gateway.kubernetes.request-timeout", "3s"))),
                api.platform(), api.runtimes());
        try {
            assertThatThrownBy(unreachable::start).isInstanceOf(PlatformException.class)
                    .hasMessageStartingWith("the Kubernetes API at http://127.0.0.1:9/ did not answer to: list"
                            + " sparkapplications in namespace spark-jobs")
                    .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
        }
        finally {
            unreachable.close();
        }

        // An API server that takes the connection and never answers: the start gives up within the request timeout.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            KubernetesBackend mute = new KubernetesBackend(KubernetesConfig.from(new ConfigProperties(Map.of(
                    "gateway.kubernetes.master-url", "http://127.0.0.1:" + silent.getLocalPort(),
                    "gateway.kubernetes.request-timeout", "2s"))), api.platform(), api.runtimes());
            long started = System.nanoTime();
            try {
                assertThatThrownBy(mute::start).isInstanceOf(PlatformException.class)
                        .hasMessageStartingWith("the Kubernetes API at http://127.0.0.1:" + silent.getLocalPort()
                                + "/ did not answer to: list sparkapplications in namespace spark-jobs");
                // Three tries (the first and two retries) of at most 2 s each, and the back-offs between them.
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
            }
            finally {
                mute.close();
            }
        }

        api.server().expect().get().withPath("/apis/sparkoperator.k8s.io/v1beta2/namespaces/locked/sparkapplications?limit=1")
                .andReturn(403, forbidden("sparkapplications", "locked")).always();
        KubernetesBackend forbidden = backend(Map.of("gateway.kubernetes.namespace", "locked"));
        try {
            assertThatThrownBy(forbidden::start).isInstanceOf(PlatformException.class)
                    .hasMessageContaining("refused (403 Forbidden: the platform's service account lacks the RBAC permission)"
                            + " to: list sparkapplications in namespace locked");
        }
        finally {
            forbidden.close();
        }

        api.server().expect().post().withPath("/apis/sparkoperator.k8s.io/v1beta2/namespaces/readonly/sparkapplications")
                .andReturn(403, forbidden("sparkapplications", "readonly")).always();
        KubernetesBackend readOnly = backend(Map.of("gateway.kubernetes.team-namespaces", "auditors=readonly"));
        try {
            readOnly.start();
            LaunchRequest request = new LaunchRequest("exec-" + UUID.randomUUID().toString().replace("-", ""), "audit",
                    "auditors", "default", "BATCH", "3.5", Application.coreEtl(Specs.eventCounts("audit")), Map.of(),
                    Map.of(), 1, 1L << 30);
            assertThatThrownBy(() -> readOnly.launch(request)).isInstanceOf(PlatformException.class)
                    .hasMessageContaining("refused (403 Forbidden")
                    .hasMessageContaining("create SparkApplication " + SparkApplications.name(request.executionId())
                            + " in namespace readonly");
            assertThat(readOnly.find(request.executionId())).isEmpty();
        }
        finally {
            readOnly.close();
        }
    }

    private KubernetesBackend backend(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("gateway.kubernetes.master-url", api.server().url("/"),
                "gateway.kubernetes.namespace", NS));
        all.putAll(settings);
        return new KubernetesBackend(KubernetesConfig.from(new ConfigProperties(all)), api.platform(), api.runtimes());
    }

    private static LaunchRequest seedJob() {
        LaunchRequest seed = SparkApplicationsTest.seedJob();
        return new LaunchRequest("exec-" + UUID.randomUUID().toString().replace("-", ""), seed.name(), seed.team(),
                seed.namespace(), seed.jobType(), seed.sparkVersion(), seed.application(), seed.sparkConf(),
                seed.envVars(), seed.driverCores(), seed.driverMemoryBytes());
    }

    private static GenericKubernetesResource application(String executionId) {
        return api.operator().genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace(NS)
                .withName(SparkApplications.name(executionId)).get();
    }

    /** The operator's part: writes the application's status, as the operator does. */
    private static void operatorWrites(String executionId, Map<String, Object> status) {
        writeStatus(api.operator(), executionId, status);
    }

    private static void writeStatus(KubernetesClient client, String executionId, Map<String, Object> status) {
        writeStatus(client, NS, executionId, status);
    }

    private static void writeStatus(KubernetesClient client, String namespace, String executionId,
            Map<String, Object> status) {
        GenericKubernetesResource application = client.genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS)
                .inNamespace(namespace).withName(SparkApplications.name(executionId)).get();
        application.setAdditionalProperty("status", status);
        client.genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace(namespace)
                .resource(application).update();
    }

    /** The operator's part: the driver pod, with the application's driver labels; waiting for {@code reason} if given. */
    private static Pod driverPod(String executionId, String waitingReason) {
        Map<String, String> labels = new LinkedHashMap<>(SparkApplications.labels(seedJobWithId(executionId)));
        labels.put("spark-role", "driver");
        labels.put("sparkoperator.k8s.io/app-name", SparkApplications.name(executionId));
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(SparkApplications.name(executionId) + "-driver")
                .withNamespace(NS).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("spark-kubernetes-driver").withImage("dcp-spark:3.5").endContainer()
                .endSpec();
        if (waitingReason != null) {
            pod.withNewStatus().withPhase("Pending").addNewContainerStatus().withName("spark-kubernetes-driver")
                    .withNewState().withNewWaiting().withReason(waitingReason)
                    .withMessage("Back-off pulling image \"dcp-spark:3.5\"").endWaiting().endState()
                    .endContainerStatus().endStatus();
        }
        return api.operator().pods().inNamespace(NS).resource(pod.build()).create();
    }

    private static LaunchRequest seedJobWithId(String executionId) {
        LaunchRequest seed = SparkApplicationsTest.seedJob();
        return new LaunchRequest(executionId, seed.name(), seed.team(), seed.namespace(), seed.jobType(),
                seed.sparkVersion(), seed.application(), seed.sparkConf(), seed.envVars(), seed.driverCores(),
                seed.driverMemoryBytes());
    }

    private static String forbidden(String resource, String namespace) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + resource
                + " is forbidden: User \\\"system:serviceaccount:pedregal-system:dcp-server\\\" cannot access " + resource
                + " in the namespace \\\"" + namespace + "\\\"\",\"reason\":\"Forbidden\",\"code\":403}";
    }

    private RunStatus await(BackendRun run, Predicate<RunStatus> condition) {
        return awaitOn(backend, run, condition);
    }

    private static RunStatus awaitOn(KubernetesBackend backend, BackendRun run, Predicate<RunStatus> condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            RunStatus status = backend.status(run);
            if (condition.test(status)) {
                return status;
            }
            assertThat(System.nanoTime()).as("waiting for " + run + ", now " + status).isLessThan(deadline);
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The requests the API server received since the last call, counted by method and kind of path. */
    private static Map<String, Integer> drainRequestLog() throws InterruptedException {
        Map<String, Integer> counts = new TreeMap<>();
        for (RecordedRequest request = api.server().takeRequest(200, TimeUnit.MILLISECONDS); request != null;
                request = api.server().takeRequest(200, TimeUnit.MILLISECONDS)) {
            String path = request.getPath();
            String resource = path.contains("/sparkapplications") ? "sparkapplications" : path.contains("/pods") ? "pods" : path;
            String rest = path.replaceAll("\\?.*", "").replaceAll(".*/" + resource, "");
            String kind = path.contains("watch=true") ? " (watch)" : rest.isEmpty() ? " (list)" : "/<name>";
            if (request.getMethod().equals("POST")) {
                kind = "";
            }
            counts.merge(request.getMethod() + " " + resource + kind, 1, Integer::sum);
        }
        return counts;
    }
}
