package com.doordash.pedregal.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.gateway.Router;
import com.doordash.pedregal.gateway.SparkGateway;
import com.doordash.pedregal.gateway.SparkRuntime;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.testing.FakeBackend;
import com.doordash.pedregal.model.JobMetrics;
import com.doordash.pedregal.model.JobState;
import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.auth.Caller;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.runner.policy.PolicyConfig;
import com.doordash.pedregal.runner.policy.SubmitPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runner's state machine on a {@link FakeBackend}: no Spark, so every race is a test of milliseconds. The store is
 * a real (in-memory) H2 database; the real backends are covered on real Spark elsewhere.
 */
final class JobLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Caller CALLER = new Caller("user@doordash.com", Set.of("team-a"), false);
    private static final JobMetrics METRICS = new JobMetrics(10, 3, 1000, 300, 2, 4, 55);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final List<AutoCloseable> opened = new ArrayList<>();
    private FakeBackend backend;
    private Database database;
    private JobRunner runner;

    @BeforeEach
    void start() {
        backend = new FakeBackend("fake");
        database = Database.open(new StoreConfig("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "", "", 4),
                List.of(JdbcJobStore.MIGRATIONS));
        runner = startRunner();
    }

    private JobRunner startRunner() {
        SparkGateway gateway = new SparkGateway(List.of(backend),
                SparkRuntimes.of(List.of(new SparkRuntime("3.5", "3.5.9", Path.of("/nonexistent")))),
                new Router(List.of(), "fake"));
        RunnerConfig config = new RunnerConfig(Duration.ofMillis(5), 4, 1L << 30, Duration.ZERO, 1, Duration.ofMillis(10),
                AdmissionConfig.unlimited());
        JobRunner started = new JobRunner(new JdbcJobStore(database), gateway,
                new SubmitPolicy(PolicyConfig.from(new ConfigProperties(Map.of("policy.write-namespaces.team-a", "derived")))), config, clock, job -> job);
        started.start();
        opened.add(started);
        return started;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        database.close();
    }

    @Test
    void aJobGoesFromPendingThroughRunningToSucceededWithItsMetrics() throws Exception {
        Job job = runner.submit(request(null), CALLER).job();
        assertThat(job.state()).isEqualTo(JobState.PENDING);
        assertThat(job.placedBackend()).isEqualTo("fake");

        FakeBackend.FakeRun run = backend.awaitRun(job.executionId(), WAIT);
        awaitState(job, JobState.SUBMITTED);
        run.running("http://127.0.0.1:4040");
        Job running = awaitState(job, JobState.RUNNING);
        assertThat(running.sparkUiUrl()).isEqualTo("http://127.0.0.1:4040");
        run.exit(0, null, METRICS);

        Job done = awaitState(job, JobState.SUCCEEDED);
        assertThat(done.metrics()).isEqualTo(METRICS);
        assertThat(done.history()).extracting(Transition::state).containsExactly(JobState.PENDING, JobState.SUBMITTED,
                JobState.RUNNING, JobState.SUCCEEDED);
        assertThat(run.request().application().args()).first().isEqualTo("--spec-base64");
    }

    @Test
    void aFailedDriverFailsTheJobWithItsMessageAndAVanishedOneIsLost() throws Exception {
        Job failing = runner.submit(request(null), CALLER).job();
        Job vanishing = runner.submit(request(null), CALLER).job();

        backend.awaitRun(failing.executionId(), WAIT).exit(1, "sources[0]: no such table", null);
        FakeBackend.FakeRun gone = backend.awaitRun(vanishing.executionId(), WAIT);
        awaitState(vanishing, JobState.SUBMITTED);
        gone.vanish();

        assertThat(awaitState(failing, JobState.FAILED).errorMessage()).isEqualTo("sources[0]: no such table");
        Job lost = awaitState(vanishing, JobState.FAILED);
        assertThat(lost.errorMessage()).isEqualTo("no such run");
        assertThat(lost.history()).extracting(Transition::reason).contains("driver lost");
    }

    @Test
    void cancelRacingTheDriversEndLeavesExactlyOneFinalState() throws Exception {
        for (int i = 0; i < 20; i++) {
            Job job = runner.submit(request(null), CALLER).job();
            FakeBackend.FakeRun run = backend.awaitRun(job.executionId(), WAIT);
            awaitState(job, JobState.SUBMITTED);
            CompletableFuture<Void> exit = CompletableFuture.runAsync(() -> run.exit(0, null, METRICS));
            try {
                runner.cancel(job.jobId(), "racing", CALLER);
            }
            catch (PlatformException e) {
                assertThat(e).hasMessageContaining("already finished as SUCCEEDED");
            }
            exit.join();

            Job end = awaitFinal(job);
            assertThat(end.state()).isIn(JobState.CANCELLED, JobState.SUCCEEDED);
            assertThat(end.history()).filteredOn(transition -> transition.state().isTerminal()).hasSize(1);
        }
    }

    @Test
    void aJobCancelledWhileItsDriverStartsHasThatDriverStopped() throws Exception {
        backend.holdLaunches();
        Job job = runner.submit(request(null), CALLER).job();
        assertThat(backend.awaitHeldLaunch(WAIT)).isTrue(); // the launch is under way, held in the backend

        CompletableFuture<Job> cancel = CompletableFuture.supplyAsync(() -> runner.cancel(job.jobId(), null, CALLER));
        awaitState(job, JobState.CANCELLED);
        backend.openLaunches();

        assertThat(cancel.get().state()).isEqualTo(JobState.CANCELLED);
        assertThat(backend.awaitRun(job.executionId(), WAIT).awaitCancel(WAIT)).isTrue();
        assertThat(runner.job(job.jobId(), CALLER).history()).extracting(Transition::state)
                .containsExactly(JobState.PENDING, JobState.CANCELLED);
    }

    @Test
    void aJobPastItsTimeoutIsStoppedAsTimeout() throws Exception {
        Job job = runner.submit(request(60L), CALLER).job();
        FakeBackend.FakeRun run = backend.awaitRun(job.executionId(), WAIT);
        run.running(null);
        awaitState(job, JobState.RUNNING);

        clock.advance(Duration.ofSeconds(61));

        Job timedOut = awaitState(job, JobState.TIMEOUT);
        assertThat(timedOut.errorMessage()).isEqualTo("the job ran longer than its timeout of 60 s");
        assertThat(run.awaitCancel(WAIT)).isTrue();
    }

    @Test
    void aDriverThatCannotStartFailsTheJobWithTheReason() throws Exception {
        backend.failNextLaunch(new IllegalStateException("no room for the driver"));
        Job job = runner.submit(request(null), CALLER).job();

        Job failed = awaitState(job, JobState.FAILED);
        assertThat(failed.errorMessage()).isEqualTo("cannot start the driver: no room for the driver");
        assertThat(failed.history()).extracting(Transition::reason).contains("launch failed");
    }

    @Test
    void aRestartedRunnerFollowsTheJobsItLaunchedToTheirEnd() throws Exception {
        Job job = runner.submit(request(null), CALLER).job();
        FakeBackend.FakeRun run = backend.awaitRun(job.executionId(), WAIT);
        awaitState(job, JobState.SUBMITTED);
        runner.close();

        run.running(null);
        run.exit(0, null, METRICS);
        JobRunner restarted = startRunner();

        assertThat(awaitState(restarted, job, JobState.SUCCEEDED).metrics()).isEqualTo(METRICS);
        assertThat(backend.launches()).isEqualTo(1);
    }

    @Test
    void aDriverStartedJustBeforeACrashIsAdoptedNotStartedTwice() throws Exception {
        // The crash came between the driver's start and the store's SUBMITTED: the job is PENDING, its driver runs.
        runner.close();
        Job job = JobStoreContract.job("team-a", clock.instant());
        new JdbcJobStore(database).insert(Job.accepted(job.jobId(), job.executionId(), job.request(), job.createdAt(),
                "default", "fake"));
        FakeBackend.FakeRun orphan = backend.startedUnrecorded(new LaunchPlanner(
                new RunnerConfig(Duration.ofMillis(5), 1, 1L << 30, Duration.ZERO, 1, Duration.ofMillis(10),
                        AdmissionConfig.unlimited()),
                new SubmitPolicy(PolicyConfig.from(new ConfigProperties(Map.of("policy.write-namespaces.team-a", "derived"))))).launchRequest(job));

        JobRunner restarted = startRunner();
        awaitState(restarted, job, JobState.SUBMITTED);
        orphan.exit(0, null, METRICS);

        awaitState(restarted, job, JobState.SUCCEEDED);
        assertThat(backend.launches()).isZero();
    }

    @Test
    void aJobThatCanNeverRunOnItsBackendIsRefusedAtSubmitNamingTheField() {
        SubmitJobRequest tooBig = Json.read(json(null).replace("\"spark_version\": \"3.5\"",
                "\"spark_version\": \"3.5\", \"resources\": {\"driver\": {\"cores\": 64}}"), SubmitJobRequest.class);

        assertThatThrownBy(() -> runner.submit(tooBig, CALLER))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field())
                        .contains("config.resources.driver.cores"))
                .hasMessageContaining("64 is more than can ever be granted on backend fake");
        assertThat(backend.launches()).isZero();
    }

    private Job awaitState(Job job, JobState state) throws InterruptedException {
        return awaitState(runner, job, state);
    }

    private Job awaitState(JobRunner on, Job job, JobState state) throws InterruptedException {
        return await(on, job, current -> current.state() == state, "state " + state);
    }

    private Job awaitFinal(Job job) throws InterruptedException {
        return await(runner, job, current -> current.state().isTerminal(), "a final state");
    }

    private static Job await(JobRunner on, Job job, Predicate<Job> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Job current = null;
        while (System.nanoTime() < deadline) {
            current = on.job(job.jobId(), CALLER);
            if (condition.test(current)) {
                return current;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("job " + job.jobId() + " did not reach " + what + " within " + WAIT + "; it is " + current);
    }

    private static SubmitJobRequest request(Long timeoutSeconds) {
        return Json.read(json(timeoutSeconds), SubmitJobRequest.class);
    }

    private static String json(Long timeoutSeconds) {
        return """
                {"name": "job", "team": "team-a", "user": "user@doordash.com",%s "config": {"spark_version": "3.5",
                 "core_etl": {"version": "2.7.0", "job_spec": {"sources": [{"type": "iceberg", "catalog": "pedregal",
                 "database": "raw", "table": "events"}], "sinks": [{"type": "iceberg", "catalog": "pedregal",
                 "database": "derived", "table": "orders"}]}}}}
                """.formatted(timeoutSeconds == null ? "" : " \"timeout_seconds\": " + timeoutSeconds + ",");
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void advance(Duration duration) {
            now.updateAndGet(instant -> instant.plus(duration));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
