package com.doordash.pedregal.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.Router;
import com.doordash.pedregal.gateway.RunState;
import com.doordash.pedregal.gateway.RunStatus;
import com.doordash.pedregal.gateway.SparkGateway;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.TestDirs;
import com.doordash.pedregal.gateway.local.LocalBackend;
import com.doordash.pedregal.model.auth.TokenFile;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.driver.DriverClasses;
import com.doordash.pedregal.model.json.Json;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.spark.connect.proto.ConfigRequest;
import org.apache.spark.connect.proto.UserContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.connect.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real Spark Connect test cluster (runtime 4.0) behind the proxy, reached with the official Spark Connect JVM
 * client. The test that kills the cluster runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class SparkConnectProxyTest {
    private static final Logger log = LoggerFactory.getLogger(SparkConnectProxyTest.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String ALICE_TOKEN = "alice-token-1234";
    private static final String BOB_TOKEN = "bob-token-5678";
    private static final MethodDescriptor<byte[], byte[]> CONFIG = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("spark.connect.SparkConnectService/Config")
            .setRequestMarshaller(SparkConnectProxy.BYTES)
            .setResponseMarshaller(SparkConnectProxy.BYTES)
            .build();

    @TempDir
    static Path dataDir;

    private static TestCluster cluster;
    private static SparkConnectProxy proxy;
    private static ManagedChannel rawChannel;

    @BeforeAll
    static void startClusterAndProxy() throws Exception {
        TestDirs.reachable(dataDir);
        GatewayConfig gateway = GatewayConfig.from(new ConfigProperties(Map.of()), dataDir);
        SparkRuntimes runtimes = SparkRuntimes.scan(gateway.runtimesDir());
        createTableWithLocalBackend(gateway, runtimes);

        Path tokens = dataDir.resolve("tokens.json");
        Files.writeString(tokens, Json.write(new TokenFile.Content(List.of(
                new TokenFile.Entry("alice", TokenFile.sha256(ALICE_TOKEN), "alice@doordash.com", List.of("t"), false),
                new TokenFile.Entry("bob", TokenFile.sha256(BOB_TOKEN), "bob@doordash.com", List.of("t"), false)))));

        TestClusterConfig config = TestClusterConfig.from(new ConfigProperties(Map.of(
                "test-cluster.driver-memory", "1g", "test-cluster.health-interval", "1s")));
        cluster = new TestCluster(config, gateway, runtimes);
        long started = System.nanoTime();
        cluster.start();
        String endpoint = cluster.awaitUp(TIMEOUT);
        log.info("MEASURE cluster start to UP: {} ms", millisSince(started));
        assertThat(endpoint).startsWith("127.0.0.1:");
        assertThat(cluster.state()).isEqualTo(TestCluster.State.UP);

        proxy = new SparkConnectProxy("127.0.0.1", 0, cluster, TokenFile.load(tokens)).start();
        rawChannel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext().build();
    }

    @AfterAll
    static void stop() {
        if (rawChannel != null) {
            rawChannel.shutdownNow();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (cluster != null) {
            cluster.close();
            assertThat(cluster.state()).isEqualTo(TestCluster.State.STOPPED);
            assertThat(cluster.pid()).isEmpty();
        }
    }

    @Test
    @Order(1)
    void selectOneWorksThroughTheProxyWithTheOfficialClient() {
        long cold = System.nanoTime();
        SparkSession spark = connect(ALICE_TOKEN, "");
        try {
            assertThat(spark.sql("SELECT 1 AS one").collectAsList()).extracting(row -> row.getInt(0)).containsExactly(1);
            log.info("MEASURE SELECT 1 through the proxy, cold (new client session): {} ms", millisSince(cold));
            for (int i = 0; i < 5; i++) {
                long warm = System.nanoTime();
                spark.sql("SELECT 1 AS one").collectAsList();
                log.info("MEASURE SELECT 1 through the proxy, warm: {} ms", millisSince(warm));
            }
        }
        finally {
            spark.close();
        }
    }

    @Test
    @Order(0)
    void rawSparkConnectRequestIsForwardedToTheCluster() {
        assertThat(configCall(rawChannel, "Bearer " + ALICE_TOKEN)).isNotEmpty();
    }

    @Test
    @Order(2)
    void missingOrBadTokenIsRefusedWithUnauthenticated() {
        assertThatThrownBy(() -> configCall(rawChannel, null))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription())
                            .isEqualTo("missing credentials: send the header Authorization: Bearer <token>");
                });
        assertThatThrownBy(() -> configCall(rawChannel, "Bearer not-a-valid-token"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("invalid token");
                });
        // The official client reports it too.
        assertThatThrownBy(() -> {
            try (SparkSession spark = connect("not-a-valid-token", "")) {
                spark.sql("SELECT 1").collectAsList();
            }
        }).hasMessageContaining("invalid token").hasMessageNotContaining("not-a-valid-token");
    }

    @Test
    @Order(3)
    void clusterRefusesCallsThatBypassTheProxy() {
        ManagedChannel direct = NettyChannelBuilder.forTarget(cluster.endpoint().orElseThrow()).usePlaintext().build();
        try {
            assertThatThrownBy(() -> configCall(direct, "Bearer " + ALICE_TOKEN))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        }
        finally {
            direct.shutdownNow();
        }
    }

    @Test
    @Order(4)
    void userCannotUseAnotherUsersSession() {
        String session = UUID.randomUUID().toString();
        try (SparkSession alice = connect(ALICE_TOKEN, ";session_id=" + session)) {
            alice.sql("CREATE TEMP VIEW alices_secret AS SELECT 42 AS answer");
            assertThat(alice.sql("SELECT answer FROM alices_secret").collectAsList()).extracting(row -> row.getInt(0))
                    .containsExactly(42);

            // Bob asks for Alice's session id, and even claims to be Alice: he gets a session of his own.
            try (SparkSession bob = connect(BOB_TOKEN, ";session_id=" + session + ";user_id=alice@doordash.com")) {
                assertThatThrownBy(() -> bob.sql("SELECT answer FROM alices_secret").collectAsList())
                        .hasMessageContaining("alices_secret");
                bob.sql("CREATE TEMP VIEW bobs AS SELECT 1 AS one");
            }
            assertThat(alice.sql("SELECT answer FROM alices_secret").collectAsList()).hasSize(1);
        }
    }

    @Test
    @Order(5)
    void clusterReadsThePedregalCatalogOfTheWarehouse() {
        try (SparkSession spark = connect(ALICE_TOKEN, "")) {
            List<Row> rows = spark.sql("SELECT count(*) AS n, sum(square) AS total FROM pedregal.connect_test.squares")
                    .collectAsList();

            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).getLong(0)).isEqualTo(3);
            assertThat(rows.get(0).getLong(1)).isEqualTo(14);
        }
    }

    @Test
    @Order(5)
    void everyWriteFormIsRefusedOnTheClusterAndTheWarehouseIsUnchanged() {
        try (SparkSession spark = connect(ALICE_TOKEN, "")) {
            String before = state(spark);
            List<String> writes = List.of(
                    "INSERT INTO pedregal.connect_test.squares VALUES (9, 81)",
                    "INSERT OVERWRITE pedregal.connect_test.squares SELECT 9, 81",
                    "CREATE TABLE pedregal.connect_test.copy USING iceberg AS SELECT * FROM pedregal.connect_test.squares",
                    "REPLACE TABLE pedregal.connect_test.squares USING iceberg AS SELECT 1 AS id, 1 AS square",
                    "CREATE TABLE pedregal.connect_test.fresh (id BIGINT) USING iceberg",
                    "DROP TABLE pedregal.connect_test.squares",
                    "ALTER TABLE pedregal.connect_test.squares ADD COLUMN note STRING",
                    "ALTER TABLE pedregal.connect_test.squares SET TBLPROPERTIES ('dcp.note' = 'mallory')",
                    "TRUNCATE TABLE pedregal.connect_test.squares",
                    "CREATE NAMESPACE pedregal.mallory",
                    "DROP NAMESPACE pedregal.connect_test CASCADE",
                    "DELETE FROM pedregal.connect_test.squares WHERE id = 1",
                    "UPDATE pedregal.connect_test.squares SET square = 0",
                    "MERGE INTO pedregal.connect_test.squares t USING (SELECT 1 AS id, 0 AS square) s ON t.id = s.id"
                            + " WHEN MATCHED THEN UPDATE SET t.square = s.square",
                    "CALL pedregal.system.expire_snapshots(table => 'connect_test.squares')",
                    "SET spark.sql.catalog.pedregal.warehouse=/tmp/elsewhere");
            for (String write : writes) {
                assertThatThrownBy(() -> spark.sql(write).collectAsList()).as(write).hasMessageContaining("read-only");
            }
            assertThatThrownBy(() -> spark.sql("SELECT 7L AS id, 49L AS square").write().mode("append")
                    .saveAsTable("pedregal.connect_test.squares"))
                    .hasMessageContaining("read-only");
            assertThatThrownBy(() -> spark.sql("SELECT 5L AS id, 25L AS square").writeTo("pedregal.connect_test.squares").append())
                    .hasMessageContaining("read-only");

            assertThat(state(spark)).isEqualTo(before);
            // Reads and the session's own temp views still work.
            spark.sql("CREATE TEMP VIEW mine AS SELECT * FROM pedregal.connect_test.squares WHERE id > 1");
            assertThat(spark.sql("SELECT count(*) FROM mine").collectAsList().get(0).getLong(0)).isEqualTo(2);
        }
    }

    @Test
    @Order(5)
    void theClusterReadsTablesOnlyAndRunsNoCodeOfTheCallers() throws Exception {
        Path secret = dataDir.resolve("secret.txt");
        Files.writeString(secret, "the server's secret\n");
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        long pid = cluster.pid().orElseThrow();
        try (SparkSession spark = connect(ALICE_TOKEN, "")) {
            Map<String, Runnable> attacks = new java.util.LinkedHashMap<>();
            attacks.put("text file through SQL", () -> spark.sql("SELECT value FROM text.`" + secret + "`").collectAsList());
            attacks.put("file in a subquery", () -> spark.sql("SELECT (SELECT max(value) FROM text.`" + secret + "`) AS x")
                    .collectAsList());
            attacks.put("spark.read.text", () -> spark.read().text(secret.toString()).collectAsList());
            attacks.put("spark.read.json", () -> spark.read().json(secret.toString()).collectAsList());
            attacks.put("iceberg by path", () -> spark.read().format("iceberg").load(dataDir.resolve("warehouse/connect_test/squares")
                    .toString()).collectAsList());
            attacks.put("reflect", () -> spark.sql("SELECT reflect('java.lang.System', 'exit', 0)").collectAsList());
            attacks.put("java_method", () -> spark.sql("SELECT java_method('java.lang.System', 'getenv',"
                    + " 'SPARK_CONNECT_AUTHENTICATE_TOKEN')").collectAsList());
            attacks.put("script transform", () -> spark.sql("SELECT TRANSFORM(id) USING 'cat " + secret + "' AS (line)"
                    + " FROM pedregal.connect_test.squares").collectAsList());
            attacks.put("temporary function from a class", () -> spark.sql("CREATE TEMPORARY FUNCTION up AS"
                    + " 'org.apache.spark.sql.catalyst.expressions.Upper'").collectAsList());
            attacks.put("inline JVM UDF", () -> spark.range(1).select(org.apache.spark.sql.functions.udf(
                    (org.apache.spark.sql.api.java.UDF1<Long, Long>) x -> x + 1,
                    org.apache.spark.sql.types.DataTypes.LongType).apply(org.apache.spark.sql.functions.col("id")))
                    .collectAsList());
            attacks.put("global temporary view", () -> spark.table("pedregal.connect_test.squares")
                    .createOrReplaceGlobalTempView("shared_squares"));
            attacks.put("CREATE GLOBAL TEMPORARY VIEW", () -> spark.sql("CREATE GLOBAL TEMPORARY VIEW shared2 AS SELECT 1 AS one")
                    .collectAsList());
            attacks.put("catalog.cacheTable", () -> spark.catalog().cacheTable("pedregal.connect_test.squares"));
            attacks.put("catalog.clearCache", () -> spark.catalog().clearCache());
            attacks.put("Dataset.cache", () -> spark.table("pedregal.connect_test.squares").cache().count());
            attacks.put("conf.set of a catalog", () -> spark.conf().set("spark.sql.catalog.evil",
                    "org.apache.iceberg.spark.SparkCatalog"));
            attacks.put("conf.set of the warehouse", () -> spark.conf().set("spark.sql.catalog.pedregal.warehouse", "/tmp/x"));
            attacks.put("conf.set of a file system", () -> spark.conf().set("fs.file.impl", "org.example.Evil"));
            attacks.put("SET of a file system", () -> spark.sql("SET spark.hadoop.fs.file.impl=org.example.Evil").collectAsList());
            Path jar = Files.write(dataDir.resolve("evil.jar"), new byte[] {'P', 'K', 5, 6});
            attacks.put("artifact upload", () -> spark.addArtifact(jar.toString()));
            for (Map.Entry<String, Runnable> attack : attacks.entrySet()) {
                assertThatThrownBy(() -> attack.getValue().run()).as(attack.getKey())
                        .satisfies(e -> assertThat(e.getMessage()).matches("(?s).*the test cluster (reads tables only|is"
                                + " read-only|keeps views to each session).*"))
                        .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain("the server's secret"));
            }
            assertThat(spark.sql("SELECT count(*) FROM pedregal.connect_test.squares").collectAsList().get(0).getLong(0))
                    .isEqualTo(3);
            assertThat(spark.conf().get("spark.sql.shuffle.partitions")).isNotBlank();
        }
        assertThat(cluster.pid()).as("the cluster was not stopped by reflect").hasValue(pid);
        assertThat(cluster.state()).isEqualTo(TestCluster.State.UP);
    }

    /** Rows, snapshots, columns and namespaces: what a write would change. */
    private static String state(SparkSession spark) {
        return List.of(
                "SELECT count(*), sum(square) FROM pedregal.connect_test.squares",
                "SELECT count(*) FROM pedregal.connect_test.squares.snapshots",
                "DESCRIBE TABLE pedregal.connect_test.squares",
                "SHOW NAMESPACES IN pedregal",
                "SHOW TABLES IN pedregal.connect_test").stream()
                .map(query -> spark.sql(query).collectAsList().toString())
                .toList()
                .toString();
    }

    @Test
    @Order(6)
    void killedClusterAnswersUnavailableUntilTheSupervisorRestartsIt() throws Exception {
        ProcessHandle server = ProcessHandle.of(cluster.pid().orElseThrow()).orElseThrow();
        int restarts = cluster.restarts();
        long killed = System.nanoTime();
        server.destroyForcibly();
        server.onExit().get(30, TimeUnit.SECONDS);

        assertThatThrownBy(() -> configCall(rawChannel, "Bearer " + ALICE_TOKEN))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).isEqualTo(
                            "the test cluster is restarting; retry in a few seconds");
                });

        cluster.awaitUp(TIMEOUT);
        log.info("MEASURE kill to UP again: {} ms", millisSince(killed));
        assertThat(cluster.restarts()).isEqualTo(restarts + 1);
        assertThat(cluster.pid().orElseThrow()).isNotEqualTo(server.pid());
        configCall(rawChannel, "Bearer " + ALICE_TOKEN);
        try (SparkSession spark = connect(ALICE_TOKEN, "")) {
            assertThat(spark.sql("SELECT 1").collectAsList()).hasSize(1);
        }
        assertThat(Files.readString(cluster.logFile())).contains("=== dcp: Spark Connect test cluster on 127.0.0.1:");
    }

    /**
     * A session of the official client, connected as users do: {@code sc://localhost:<port>/;token=<token>}. (The
     * 4.0 client sends the token in plain text to {@code localhost} only; to any other host it insists on TLS.)
     */
    private static SparkSession connect(String token, String parameters) {
        return SparkSession.builder().remote("sc://localhost:" + proxy.port() + "/;token=" + token + parameters).create();
    }

    /** A Config call with the raw bytes of Spark Connect's request, as any client sends them. */
    private static byte[] configCall(ManagedChannel channel, String authorization) {
        Metadata headers = new Metadata();
        if (authorization != null) {
            headers.put(SparkConnectProxy.AUTHORIZATION, authorization);
        }
        byte[] request = ConfigRequest.newBuilder()
                .setSessionId(UUID.randomUUID().toString())
                .setUserContext(UserContext.newBuilder().setUserId("anyone"))
                .setOperation(ConfigRequest.Operation.newBuilder().setGetAll(ConfigRequest.GetAll.getDefaultInstance()))
                .build()
                .toByteArray();
        return ClientCalls.blockingUnaryCall(
                io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)),
                CONFIG, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), request);
    }

    private static void createTableWithLocalBackend(GatewayConfig gateway, SparkRuntimes runtimes) {
        LocalBackend backend = new LocalBackend(gateway, runtimes);
        SparkGateway sparkGateway = new SparkGateway(List.of(backend), runtimes, new Router(List.of(), "local"));
        long started = System.nanoTime();
        BackendRun run = sparkGateway.launch(new LaunchRequest("test-" + UUID.randomUUID(), "connect-test-table", "test",
                LaunchRequest.DEFAULT_NAMESPACE, "BATCH", "4.0", Application.platformTool(DriverClasses.QUERY_MAIN, List.of(
                        "CREATE NAMESPACE IF NOT EXISTS pedregal.connect_test",
                        "CREATE TABLE pedregal.connect_test.squares USING iceberg AS SELECT id, id * id AS square"
                                + " FROM range(1, 4)")),
                Map.of(), Map.of(), 1, 512L << 20));
        RunStatus status = sparkGateway.awaitEnd(run, TIMEOUT);
        assertThat(status.state()).as(backend.logs(run, OptionalInt.empty())).isEqualTo(RunState.SUCCEEDED);
        log.info("MEASURE table created with a local QueryMain run in {} ms", millisSince(started));
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
