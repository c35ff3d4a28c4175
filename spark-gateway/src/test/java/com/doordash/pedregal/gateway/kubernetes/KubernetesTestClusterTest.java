package com.doordash.pedregal.gateway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.gateway.connect.FakeConnectServer;
import com.doordash.pedregal.gateway.connect.TestCluster;
import com.doordash.pedregal.gateway.connect.TestClusterConfig;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.error.PlatformException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared test cluster on Kubernetes ({@code test-cluster.backend=kubernetes}) against fabric8's mock API server in
 * CRUD mode, the test playing the operator (status transitions, deletions). No pod can run here, so the driver pod's
 * Spark Connect server is played by a gRPC server on 127.0.0.1 that answers the supervisor's health call and records
 * the token it carries: a hand-written fake of what only a cluster could run.
 */
final class KubernetesTestClusterTest {
    private static final CrdSchema CRD = CrdSchema.load("/kubernetes/sparkoperator.k8s.io_sparkapplications.yaml", "v1beta2");
    private static final String NS = "pedregal-system";
    private static final String NAME = KubernetesTestCluster.NAME;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final MockApi api = new MockApi();
    private FakeConnectServer driver;
    private TestCluster cluster;

    @BeforeEach
    void startDriver() {
        driver = new FakeConnectServer(0);
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        driver.close();
        api.operator().genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace(NS).delete();
    }

    @Test
    void theSeedsApplicationRunsTheClusterItsTokenInASecretAndTheProxysSideReachesItOn127001() throws Exception {
        cluster = cluster(driver.port(), masterUrl(), NS);
        cluster.start();
        String endpoint = cluster.awaitUp(TIMEOUT);

        GenericKubernetesResource application = application();
        @SuppressWarnings("unchecked")
        Map<String, Object> asStored = api.operator().getKubernetesSerialization().convertValue(application, Map.class);
        assertThat(CRD.validate(asStored)).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) asStored.get("spec");
        assertThat(spec).containsEntry("mainClass", "org.apache.spark.sql.connect.service.SparkConnectServer")
                .containsEntry("image", "dcp-spark:4.0").doesNotContainKey("timeToLiveSeconds");
        assertThat(spec.get("restartPolicy")).asString().contains("type=Always");
        assertThat(spec.get("sparkConf")).asString()
                .contains("spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions,"
                        + "com.doordash.pedregal.coreetl.testcluster.ReadOnlyExtensions")
                .contains("spark.connect.grpc.binding.port=15002");
        Secret secret = api.operator().secrets().inNamespace(NS).withName(KubernetesTestCluster.TOKEN_SECRET).get();
        String token = secret.getStringData().get(KubernetesTestCluster.TOKEN_KEY);
        assertThat(token).hasSizeGreaterThanOrEqualTo(40);
        // The token reaches the driver from the Secret; neither it nor the platform's S3 credentials are in the application.
        assertThat(api.operator().getKubernetesSerialization().asJson(application))
                .doesNotContain(token, "AKIAPLATFORM", "platform-s3-secret")
                .containsPattern("\"secretKeyRef\":\\{(\"key\":\"token\",\"name\":\"dcp-test-cluster-token\""
                        + "|\"name\":\"dcp-test-cluster-token\",\"key\":\"token\")}");
        Service service = api.operator().services().inNamespace(NS).withName(NAME).get();
        assertThat(service.getSpec().getSelector()).containsEntry("spark-role", "driver")
                .containsEntry(KubernetesTestCluster.LABEL_ROLE, KubernetesTestCluster.ROLE);
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> assertThat(port.getPort()).isEqualTo(15_002));
        @SuppressWarnings("unchecked")
        Map<String, String> driverLabels = (Map<String, String>) ((Map<String, Object>) spec.get("driver")).get("labels");
        assertThat(driverLabels).containsEntry(KubernetesTestCluster.LABEL_ROLE, KubernetesTestCluster.ROLE);

        // The platform's side talks to 127.0.0.1 (the relay), and what it sends arrives with the cluster's token.
        assertThat(endpoint).startsWith("127.0.0.1:");
        assertThat(driver.authorizations()).isNotEmpty().allMatch(("Bearer " + token)::equals);
        assertThat(cluster.platformConnection("dcp-server")).hasValueSatisfying(connection ->
                assertThat(connection).startsWith("sc://localhost:" + cluster.port() + "/;token=" + token));

        cluster.close();
        assertThat(api.operator().genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace(NS)
                .withName(NAME).get()).as("the cluster ends with the platform").isNull();
        cluster = null;
    }

    @Test
    void anApplicationTheOperatorReportsFailedOrThatWasDeletedIsReplacedAndNeverDuplicated() throws Exception {
        cluster = cluster(driver.port(), masterUrl(), NS);
        cluster.start();
        cluster.awaitUp(TIMEOUT);
        String first = application().getMetadata().getUid();

        GenericKubernetesResource failed = application();
        failed.setAdditionalProperty("status", Map.of("applicationState",
                Map.of("state", "FAILED", "errorMessage", "driver container failed with ExitCode: 137, Reason: OOMKilled")));
        api.operator().genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace(NS).resource(failed).update();
        await(() -> cluster.restarts() == 1 && cluster.state() == TestCluster.State.UP);
        String second = application().getMetadata().getUid();
        assertThat(second).isNotEqualTo(first);
        assertThat(cluster.logFile()).content().contains("Spark Connect test cluster as SparkApplication " + NS + "/" + NAME);

        api.operator().genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace(NS).withName(NAME).delete();
        await(() -> cluster.restarts() == 2 && cluster.state() == TestCluster.State.UP);
        assertThat(application().getMetadata().getUid()).isNotIn(first, second);
        assertThat(api.operator().genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace(NS).list()
                .getItems()).hasSize(1);
    }

    @Test
    void aDriverThatStopsAnsweringIsReplacedAndTheClusterComesBackWhenItAnswers() throws Exception {
        cluster = cluster(driver.port(), masterUrl(), NS);
        cluster.start();
        cluster.awaitUp(TIMEOUT);
        String first = application().getMetadata().getUid();
        int port = driver.port();

        driver.close();
        await(() -> cluster.state() != TestCluster.State.UP);
        assertThat(cluster.endpoint()).isEmpty();
        driver = new FakeConnectServer(port);
        await(() -> cluster.state() == TestCluster.State.UP);
        assertThat(application().getMetadata().getUid()).isNotEqualTo(first);
        assertThat(cluster.restarts()).isEqualTo(1);
    }

    @Test
    void anApplicationLeftByAKilledPlatformIsReplacedAtStart() throws Exception {
        // What a platform killed with -9 leaves: the application it could not delete.
        TestCluster killed = cluster(driver.port(), masterUrl(), NS);
        killed.start();
        killed.awaitUp(TIMEOUT);
        String left = application().getMetadata().getUid();
        // (Its supervisor stops here without deleting: the test takes the application away from it first.)
        GenericKubernetesResource copy = application();
        api.operator().genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace(NS).withName(NAME).delete();
        killed.close();
        // close() deleted whatever its supervisor created meanwhile (a restart after the deletion): put the leftover back.
        assertThat(application()).isNull();
        copy.getMetadata().setResourceVersion(null);
        copy.getMetadata().setUid(null);
        api.operator().genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace(NS).resource(copy).create();
        String leftBehind = application().getMetadata().getUid();
        assertThat(leftBehind).isNotEqualTo(left);

        cluster = cluster(driver.port(), masterUrl(), NS);
        cluster.start();
        cluster.awaitUp(TIMEOUT);

        assertThat(api.operator().genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace(NS).list()
                .getItems()).singleElement().satisfies(app -> assertThat(app.getMetadata().getUid()).isNotEqualTo(leftBehind));
    }

    @Test
    void aClusterClosedWhileItsApplicationIsBeingCreatedLeavesNoneBehind() throws Exception {
        cluster = cluster(driver.port(), masterUrl(), NS);
        cluster.start();
        cluster.awaitUp(TIMEOUT);
        // From now on the API server commits a create at once and answers it a second later, as a busy one may.
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch committed = new CountDownLatch(1);
        api.server().expect().post().delay(1, TimeUnit.SECONDS)
                .withPath("/apis/sparkoperator.k8s.io/v1beta2/namespaces/" + NS + "/sparkapplications")
                .andReply(201, request -> {
                    GenericKubernetesResource created = api.operator().getKubernetesSerialization()
                            .unmarshal(request.getUtf8Body(), GenericKubernetesResource.class);
                    arrived.countDown();
                    // Committed off the mock server's event loop, which is the one the operator's own call goes through.
                    new Thread(() -> {
                        api.operator().genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace(NS)
                                .resource(created).create();
                        committed.countDown();
                    }).start();
                    return created;
                })
                .once();
        api.operator().genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace(NS).withName(NAME)
                .delete();
        assertThat(arrived.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the supervisor creates a new one").isTrue();

        cluster.close(); // while the create is on its way
        cluster = null;

        assertThat(committed.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(application()).as("the application created while the platform stopped").isNull();
    }

    @Test
    void anUnreachableOrForbiddenApiStopsTheStartNamingIt() {
        TestCluster unreachable = cluster(driver.port(), "http://127.0.0.1:1", NS);
        assertThatThrownBy(unreachable::start).isInstanceOf(PlatformException.class)
                .hasMessageStartingWith("the Kubernetes API at http://127.0.0.1:1/ did not answer to: list sparkapplications"
                        + " in namespace " + NS);
        unreachable.close();

        api.server().expect().get().withPath("/apis/sparkoperator.k8s.io/v1beta2/namespaces/locked/sparkapplications?limit=1")
                .andReturn(403, Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "reason", "Forbidden",
                        "code", 403, "message", "sparkapplications.sparkoperator.k8s.io is forbidden"))
                .always();
        TestCluster forbidden = cluster(driver.port(), masterUrl(), "locked");
        assertThatThrownBy(forbidden::start).isInstanceOf(PlatformException.class)
                .hasMessageContaining("refused (403 Forbidden: the platform's service account lacks the RBAC permission)"
                        + " to: list sparkapplications in namespace locked");
        forbidden.close();
    }

    private static TestCluster cluster(int driverPort, String masterUrl, String namespace) {
        TestClusterConfig config = TestClusterConfig.from(new ConfigProperties(Map.of(
                "test-cluster.backend", "kubernetes",
                "test-cluster.kubernetes.namespace", namespace,
                "test-cluster.kubernetes.address", "127.0.0.1:" + driverPort,
                "test-cluster.health-interval", "200ms",
                "test-cluster.start-timeout", "20s")));
        KubernetesConfig kubernetes = KubernetesConfig.from(new ConfigProperties(Map.of(
                "gateway.kubernetes.master-url", masterUrl,
                "gateway.kubernetes.request-timeout", "5s")));
        return new TestCluster(config, api.platform(), api.runtimes(), null, kubernetes);
    }

    private static String masterUrl() {
        return api.operator().getMasterUrl().toString();
    }

    private static GenericKubernetesResource application() {
        return api.operator().genericKubernetesResources(KubernetesBackend.SPARK_APPLICATIONS).inNamespace(NS).withName(NAME).get();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
