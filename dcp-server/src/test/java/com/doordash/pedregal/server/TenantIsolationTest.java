package com.doordash.pedregal.server;

import static com.doordash.pedregal.server.TestPlatform.DEMO_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.doordash.pedregal.model.auth.TokenFile;
import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.runner.grpc.GrpcAuth;
import com.doordash.pedregal.runner.grpc.GrpcErrors;
import com.doordash.pedregal.runner.grpc.v1.JobSpec;
import com.doordash.pedregal.runner.grpc.v1.JobMetadata;
import com.doordash.pedregal.runner.grpc.v1.SparkRunnerServiceGrpc;
import com.doordash.pedregal.runner.grpc.v1.SparkSpec;
import com.doordash.pedregal.runner.grpc.v1.SubmitRequest;
import com.doordash.pedregal.server.grpc.v1.CoreETLConfig;
import com.doordash.pedregal.server.grpc.v1.DCPSparkServiceGrpc;
import com.doordash.pedregal.server.grpc.v1.SparkJobConfig;
import com.doordash.pedregal.server.grpc.v1.SubmitJobRequest;
import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's attacks on the submit path, as a team member would make them with an ordinary token — over REST and over
 * both gRPC services — each refused with a 4xx (or gRPC status) that names the field and the rule, and nothing created.
 * The server runs the embedded defaults of the policy: no team may run code of its own; {@code data-infra} writes
 * {@code derived}, {@code ads} writes {@code ads} and {@code ads_*}.
 */
final class TenantIsolationTest {
    private static final String ADS_TOKEN = "ads-token-0123456789";
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path dataDir;
    private static DcpServer server;
    private static ManagedChannel channel;
    private static String playgroundNamespace;

    @BeforeAll
    static void startServer() throws Exception {
        TestPlatform.reachable(dataDir);
        Files.writeString(dataDir.resolve("tokens.json"), Json.write(new TokenFile.Content(List.of(
                new TokenFile.Entry("demo", TokenFile.sha256(DEMO_TOKEN), "user@doordash.com", List.of("data-infra"), false),
                new TokenFile.Entry("ann", TokenFile.sha256(ADS_TOKEN), "ann@doordash.com", List.of("ads"), false)))));
        Files.setPosixFilePermissions(dataDir.resolve("tokens.json"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        server = TestPlatform.start(dataDir, Map.of(
                "policy.custom-code.teams", "",
                "policy.custom-code.jar-locations", "",
                "policy.write-namespaces.ads", "ads, ads_*"));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        TestPlatform.Response playground = TestPlatform.post(server, "/api/v1/playgrounds", "{\"name\": \"demo\"}");
        assertThat(playground.status()).as(playground.body()).isEqualTo(201);
        playgroundNamespace = playground.json().get("namespace").asText();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anotherTeamCannotWriteIntoAPlaygroundAndThePlaygroundTableStaysUnchanged() {
        String table = playgroundNamespace + ".kept";
        TestPlatform.query(server, "CREATE TABLE pedregal." + table + " USING iceberg AS SELECT 1 AS id");

        TestPlatform.Response sink = asAds(job("ads", "SELECT 2 AS id", playgroundNamespace, "kept"));
        TestPlatform.Response insert = asAds(job("ads", "INSERT INTO pedregal." + table + " SELECT 2 AS id", "ads", "x"));

        assertThat(sink.status()).isEqualTo(403);
        assertThat(sink.json().at("/error/code").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(sink.json().at("/error/field").asText()).isEqualTo("config.core_etl.job_spec.sinks[0]");
        assertThat(sink.json().at("/error/message").asText()).isEqualTo("config.core_etl.job_spec.sinks[0]: pedregal."
                + playgroundNamespace + " is a playground's namespace: only a run in that playground writes it (team ads"
                + " may not write pedregal." + table + ")");
        assertThat(insert.status()).isEqualTo(403);
        assertThat(insert.json().at("/error/message").asText()).isEqualTo("config.core_etl.job_spec.transformations[0].query:"
                + " is not a query (INSERT INTO): a transformation is a query, and only the sinks write its result");
        assertThat(TestPlatform.query(server, "SELECT count(*) AS n FROM pedregal." + table).get(0).get(0).get("n").asLong())
                .isEqualTo(1);
    }

    @Test
    void aTeamWritesOnlyItsOwnProductionNamespaces() {
        TestPlatform.Response derived = asAds(job("ads", "SELECT 1 AS id", "derived", "orders"));

        assertThat(derived.status()).isEqualTo(403);
        assertThat(derived.json().at("/error/message").asText()).isEqualTo("config.core_etl.job_spec.sinks[0]: team ads"
                + " may not write pedregal.derived.orders: its jobs write only to namespaces ads, ads_* of pedregal"
                + " (policy.write-namespaces.ads)");
    }

    @Test
    void settingsAndVariablesThatLoadCodeOrMoveStorageAreRefusedNamingEachRule() {
        String body = job("data-infra", "SELECT * FROM source", "derived", "x").replace("\"resources\":", """
                "spark_config": {"spark.jars": "/tmp/evil.jar", "spark.plugins": "evil.Plugin",
                                 "spark.files": "/data/tokens.json", "spark.driver.extraJavaOptions": "-javaagent:/tmp/a.jar",
                                 "spark.sql.catalog.prod": "org.apache.iceberg.spark.SparkCatalog",
                                 "spark.hadoop.fs.file.impl": "org.example.Evil"},
                "env_vars": {"JAVA_TOOL_OPTIONS": "-javaagent:/tmp/a.jar", "LD_PRELOAD": "/tmp/x.so", "PATH": "/tmp",
                             "CLASSPATH": "/tmp"},
                "resources":""");

        TestPlatform.Response response = TestPlatform.post(server, "/api/v1/jobs", body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/code").asText()).isEqualTo("POLICY_VIOLATION");
        assertThat(response.json().at("/error/details").findValuesAsText("field")).containsExactly(
                "config.spark_config[\"spark.jars\"]", "config.spark_config[\"spark.plugins\"]",
                "config.spark_config[\"spark.files\"]", "config.spark_config[\"spark.driver.extraJavaOptions\"]",
                "config.spark_config[\"spark.sql.catalog.prod\"]", "config.spark_config[\"spark.hadoop.fs.file.impl\"]",
                "config.env_vars[\"JAVA_TOOL_OPTIONS\"]", "config.env_vars[\"LD_PRELOAD\"]", "config.env_vars[\"PATH\"]",
                "config.env_vars[\"CLASSPATH\"]");
        assertThat(response.json().at("/error/message").asText())
                .contains("spark.jars loads code of the job's own, which only teams in policy.custom-code.teams may do"
                        + " (team data-infra is not one)")
                .contains("is refused by policy.env-vars.denied (LD_*)");
        assertThat(noJobs()).isTrue();
    }

    @Test
    void customCodeAndReflectionAreForTeamsTheOperatorAllows() {
        String jar = """
                {"name": "attack", "team": "data-infra", "user": "user@doordash.com",
                 "config": {"spark_version": "3.5", "custom_jar": {"jar_path": "/tmp/evil.jar", "main_class": "evil.Main"}}}
                """;
        TestPlatform.Response customJar = TestPlatform.post(server, "/api/v1/jobs", jar);
        TestPlatform.Response reflect = TestPlatform.post(server, "/api/v1/jobs",
                job("data-infra", "SELECT reflect('java.lang.System', 'exit', 0) AS x", "derived", "x"));

        assertThat(customJar.status()).as(customJar.body()).isEqualTo(400);
        assertThat(customJar.json().at("/error/details").findValuesAsText("message")).containsExactly(
                "custom jars run code of the team's own, which only teams in policy.custom-code.teams may do (team"
                        + " data-infra is not one)",
                "\"/tmp/evil.jar\" is not under policy.custom-code.jar-locations (none is configured)");
        assertThat(reflect.status()).isEqualTo(400);
        assertThat(reflect.json().at("/error/message").asText()).isEqualTo("config.core_etl.job_spec.transformations[0]"
                + ".query: reflect() calls into the JVM, which only teams in policy.custom-code.teams may do (team"
                + " data-infra is not one)");
        assertThat(noJobs()).isTrue();
    }

    @Test
    void callbacksNeverGoToLoopbackOrThePlatformItself() {
        String platform = "where the platform itself listens; callbacks never go to the platform";
        String restricted = "such an address is allowed only when its host is listed in policy.callbacks.allowed-hosts";
        Map<String, String> attacks = Map.of(
                "http://127.0.0.1:" + server.port() + "/api/v1/jobs", platform,
                "http://localhost:" + server.grpcPort() + "/", platform,
                "http://[::1]:" + server.port() + "/internal/admin", platform,
                "http://127.0.0.1:6379/", "goes to 127.0.0.1, a loopback address; " + restricted,
                "http://169.254.169.254/latest/meta-data/", "goes to 169.254.169.254, a link-local address; " + restricted,
                "http://0.0.0.0:8080/", "a wildcard address; " + restricted);
        attacks.forEach((url, reason) -> {
            TestPlatform.Response response = TestPlatform.post(server, "/api/v1/jobs",
                    job("data-infra", "SELECT 1 AS id", "derived", "x").replaceFirst("\\{", "{\"callback_url\": \"" + url + "\", "));

            assertThat(response.status()).as(url).isEqualTo(400);
            assertThat(response.json().at("/error/code").asText()).isEqualTo("POLICY_VIOLATION");
            assertThat(response.json().at("/error/field").asText()).isEqualTo("callback_url");
            assertThat(response.json().at("/error/message").asText()).as(url).contains(reason);
        });
        assertThat(noJobs()).isTrue();
    }

    @Test
    void theSparkRunnerServiceRefusesTheSameWithItsOwnFieldNames() {
        SparkRunnerServiceGrpc.SparkRunnerServiceBlockingStub runner = withToken(SparkRunnerServiceGrpc.newBlockingStub(channel),
                ADS_TOKEN);

        StatusRuntimeException playground = catchThrowableOfType(StatusRuntimeException.class, () -> runner.submit(
                runnerJob("ads", SparkSpec.newBuilder().setCoreEtlJobSpecJson(spec("SELECT 2 AS id", playgroundNamespace, "kept")))));
        StatusRuntimeException settings = catchThrowableOfType(StatusRuntimeException.class, () -> runner.submit(
                runnerJob("ads", SparkSpec.newBuilder().setCoreEtlJobSpecJson(spec("SELECT 2 AS id", "ads", "x"))
                        .putSparkConfig("spark.plugins", "evil.Plugin")
                        .putEnvVars("JAVA_TOOL_OPTIONS", "-javaagent:/tmp/a.jar")
                        .setCallbackUrl("http://127.0.0.1:" + server.port() + "/api/v1/jobs"))));

        assertThat(playground.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(playground.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("PERMISSION_DENIED");
        assertThat(playground.getStatus().getDescription()).contains("is a playground's namespace");
        assertThat(settings.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(settings.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("POLICY_VIOLATION");
        assertThat(settings.getTrailers().get(GrpcErrors.ERROR_FIELD)).isEqualTo("job_spec.spark.spark_config[\"spark.plugins\"]");
        assertThat(settings.getStatus().getDescription())
                .contains("job_spec.spark.env_vars[\"JAVA_TOOL_OPTIONS\"]: is refused by policy.env-vars.denied")
                .contains("job_spec.spark.callback_url: goes to port " + server.port() + " of this machine, where the platform"
                        + " itself listens");
        assertThat(noJobs()).isTrue();
    }

    @Test
    void theDcpSparkServiceRefusesTheSame() {
        DCPSparkServiceGrpc.DCPSparkServiceBlockingStub dcp = withToken(DCPSparkServiceGrpc.newBlockingStub(channel), DEMO_TOKEN);

        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> dcp.submitJob(
                SubmitJobRequest.newBuilder().setName("grpc-attack").setTeam("data-infra").setUser("user@doordash.com")
                        .setConfig(SparkJobConfig.newBuilder().setSparkVersion("3.5")
                                .setCoreEtl(CoreETLConfig.newBuilder().setVersion("2.7.0")
                                        .setJobSpec(com.google.protobuf.ByteString.copyFromUtf8(spec("SELECT * FROM source", "derived", "x"))))
                                .putSparkConfig("spark.jars", "/tmp/evil.jar")
                                .putEnvVars("LD_PRELOAD", "/tmp/x.so"))
                        .build()));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("POLICY_VIOLATION");
        assertThat(e.getStatus().getDescription()).contains("spark.jars loads code of the job's own")
                .contains("(LD_*)");
        assertThat(noJobs()).isTrue();
    }

    @Test
    void theDriversWallRefusesAPathReadThePreChecksCannotSee() throws Exception {
        Path tokens = dataDir.resolve("tokens.json");
        String jobId = TestPlatform.submit(server, job("data-infra", "SELECT value FROM text.`" + tokens + "`", "derived",
                "leaked"));

        JsonNode status = TestPlatform.awaitStatus(server, jobId, TestPlatform.FINAL_STATES, JOB_TIMEOUT);

        assertThat(status.get("status").asText()).isEqualTo("FAILED");
        assertThat(status.get("error_message").asText()).contains("team data-infra reads tables only: refused")
                .doesNotContain("sha256");
        assertThat(TestPlatform.get(server, "/api/v1/jobs/" + jobId + "/logs").body()).doesNotContain("sha256");
        assertThat(dataDir.resolve("warehouse/derived/leaked")).doesNotExist();
    }

    private static boolean noJobs() {
        return TestPlatform.get(server, "/api/v1/jobs?team=data-infra").json().get("jobs").isEmpty()
                && TestPlatform.send(TestPlatform.request(server, "/api/v1/jobs?team=ads", ADS_TOKEN).GET()).json()
                .get("jobs").isEmpty();
    }

    private static TestPlatform.Response asAds(String body) {
        return TestPlatform.send(TestPlatform.request(server, "/api/v1/jobs", ADS_TOKEN)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
    }

    private static String job(String team, String query, String sinkNamespace, String sinkTable) {
        String user = team.equals("ads") ? "ann@doordash.com" : "user@doordash.com";
        return """
                {"name": "attack", "team": "%s", "user": "%s",
                 "config": {"spark_version": "3.5", "core_etl": {"version": "2.7.0", "job_spec": %s},
                  "resources": {"driver": {"cores": 1, "memory": "1g"}}}}
                """.formatted(team, user, spec(query, sinkNamespace, sinkTable));
    }

    private static String spec(String query, String sinkNamespace, String sinkTable) {
        return """
                {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
                 "transformations": [{"type": "sql", "query": "%s"}],
                 "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "%s", "table": "%s"}]}
                """.formatted(query.replace("\"", "\\\""), sinkNamespace, sinkTable);
    }

    private static JobSpec jobSpec(String team, SparkSpec.Builder spark) {
        return JobSpec.newBuilder().setName("grpc-attack")
                .setMetadata(JobMetadata.newBuilder().setTeam(team).setUser(team.equals("ads") ? "ann@doordash.com"
                        : "user@doordash.com"))
                .setSpark(spark)
                .build();
    }

    private static SubmitRequest runnerJob(String team, SparkSpec.Builder spark) {
        return SubmitRequest.newBuilder().setJobSpec(jobSpec(team, spark)).build();
    }

    private static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        io.grpc.Metadata headers = new io.grpc.Metadata();
        headers.put(GrpcAuth.AUTHORIZATION, "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
}
