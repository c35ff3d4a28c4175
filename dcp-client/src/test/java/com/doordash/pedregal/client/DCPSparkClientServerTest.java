package com.doordash.pedregal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.server.DcpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a real platform in this JVM: REST server, job store, and Spark drivers running real
 * CoreETL jobs on Iceberg. Every call authenticates with the development token of user@doordash.com in
 * team data-infra.
 */
final class DCPSparkClientServerTest {
    private static final String DEMO_TOKEN = "demo-token";

    @TempDir
    static Path dataDir;
    private static DcpServer server;
    private static DCPSparkClient client;

    @BeforeAll
    static void startServer() {
        server = DcpServer.start(new ConfigProperties(Map.of(
                "server.port", "0",
                // The server also serves gRPC (on 9090 by default); a free port keeps parallel builds apart.
                "server.grpc-port", "0",
                "server.data-dir", dataDir.toString(),
                "runner.poll-interval", "100ms",
                "gateway.cancel-grace", "2s",
                // Neither warm drivers nor the Spark Connect test cluster: these tests use neither.
                "gateway.hot-pool.pools", "",
                "test-cluster.enabled", "false")));
        client = DCPSparkClient.builder().baseUrl(server.url()).token(DEMO_TOKEN).build();
    }

    @AfterAll
    static void stopServer() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void seedReadmeExampleSucceedsOnRealSpark() {
        SubmitJobResponse response = client.submitJob(SeedExample.request());

        JobStatus status = client.waitForCompletion(response.getJobId(), Duration.ofMinutes(3));

        assertThat(status.getStatus()).as("%s%nlog tail:%n%s", status, client.logs(response.getJobId(), 40))
                .isEqualTo(JobState.SUCCEEDED);
        assertThat(status.isFinished()).isTrue();
        assertThat(status.getJobId()).isEqualTo(response.getJobId());
        assertThat(status.getExecutionId()).isEqualTo(response.getExecutionId());
        assertThat(status.getName()).isEqualTo("my-etl-job");
        assertThat(status.getTeam()).isEqualTo("data-infra");
        assertThat(status.getUser()).isEqualTo("user@doordash.com");
        assertThat(status.getSparkVersion()).isEqualTo("3.5");
        assertThat(status.getErrorMessage()).isEmpty();
        // Metrics are optional in the API; when the server reports them, they describe this job.
        status.getMetrics().ifPresent(metrics -> assertThat(metrics.getRecordsWritten()).isPositive());
        assertThat(status.getEndTime()).isPresent();
        assertThat(status.getStartTime().orElseThrow()).isAfterOrEqualTo(status.getSubmitTime().orElseThrow())
                .isBeforeOrEqualTo(status.getEndTime().orElseThrow());
        assertThat(client.logs(response.getJobId())).contains("CoreETL SUCCEEDED");
        assertThat(client.logs(response.getJobId(), 3).lines()).hasSizeBetween(1, 3);
    }

    @Test
    void unknownJobIsNotFound() {
        assertThatThrownBy(() -> client.getJob("no-such-job"))
                .isInstanceOfSatisfying(JobNotFoundException.class, e -> {
                    assertThat(e.getHttpStatus()).isEqualTo(404);
                    assertThat(e.getErrorCode()).isEqualTo("JOB_NOT_FOUND");
                })
                .hasMessageContaining("no-such-job");
    }

    @Test
    void unsupportedSparkVersionIsAnInvalidRequestNamingTheField() {
        SubmitJobRequest request = SubmitJobRequest.builder()
                .name("old-spark").team("data-infra").user("user@doordash.com")
                .config(SparkJobConfig.builder()
                        .sparkVersion("9.9")
                        .coreEtl(CoreETLConfig.builder().version("2.7.0").jobSpec(SeedExample.JOB_SPEC_JSON).build())
                        .build())
                .build();

        assertThatThrownBy(() -> client.submitJob(request))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getHttpStatus()).isEqualTo(400);
                    assertThat(e.getErrorCode()).isEqualTo("INVALID_REQUEST");
                    assertThat(e.getField()).hasValue("config.spark_version");
                    assertThat(e.getDetails()).extracting(ErrorDetail::getField).contains("config.spark_version");
                })
                .hasMessageContaining("\"9.9\" is not supported (supported: 3.5, 4.0)");
    }

    @Test
    void listJobsIteratesAcrossPages() {
        String prefix = "client-list-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<String> ids = IntStream.rangeClosed(1, 3).mapToObj(i -> {
            String jobId = client.submitJob(SeedExample.smallJob(prefix + i)).getJobId();
            CancelJobResponse cancelled = client.cancelJob(jobId, "listing test");
            assertThat(cancelled.isSuccess()).isTrue();
            assertThat(cancelled.getJobId()).isEqualTo(jobId);
            assertThat(cancelled.getStatus()).isEqualTo(JobState.CANCELLED);
            return jobId;
        }).toList();

        List<JobStatus> listed = client.listJobs(ListJobsRequest.builder()
                        .team("data-infra").status(JobState.CANCELLED).pageSize(1).build())
                .filter(job -> job.getName().startsWith(prefix))
                .toList();

        assertThat(listed).extracting(JobStatus::getJobId).containsExactly(ids.get(2), ids.get(1), ids.get(0));
        assertThat(listed).extracting(JobStatus::getName).containsExactly(prefix + 3, prefix + 2, prefix + 1);
        assertThat(listed).allSatisfy(job -> assertThat(job.getStatus()).isEqualTo(JobState.CANCELLED));
        assertThat(client.listJobs("data-infra").map(JobStatus::getJobId)).containsAll(ids);
    }

    @Test
    void cancellingAFinishedJobIsAConflict() {
        String jobId = client.submitJob(SeedExample.smallJob("client-cancel-twice")).getJobId();
        assertThat(client.cancelJob(jobId).getStatus()).isEqualTo(JobState.CANCELLED);

        assertThatThrownBy(() -> client.cancelJob(jobId))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.getHttpStatus()).isEqualTo(409);
                    assertThat(e.getErrorCode()).isEqualTo("JOB_ALREADY_FINISHED");
                })
                .hasMessageContaining("job " + jobId + " already finished");
        assertThat(client.waitForCompletion(jobId, Duration.ofSeconds(10)).getStatus()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void requestWithoutTokenIsUnauthenticated() {
        try (DCPSparkClient anonymous = DCPSparkClient.builder().baseUrl(server.url()).build()) {
            assertThatThrownBy(() -> anonymous.getJob("x"))
                    .isInstanceOfSatisfying(UnauthenticatedException.class, e -> {
                        assertThat(e.getHttpStatus()).isEqualTo(401);
                        assertThat(e.getErrorCode()).isEqualTo("UNAUTHENTICATED");
                    });
        }
    }
}
