package com.doordash.pedregal.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.model.JobMetrics;
import com.doordash.pedregal.model.JobState;
import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every database behind {@link JdbcJobStore} must show. */
abstract class JobStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final JobMetrics METRICS = new JobMetrics(10, 3, 1000, 300, 2, 4, 55);

    protected Database database;
    protected JdbcJobStore store;

    /** A store on a fresh, empty database (schema). */
    protected abstract StoreConfig freshDatabase() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        database = Database.open(freshDatabase(), List.of(JdbcJobStore.MIGRATIONS));
        store = new JdbcJobStore(database);
    }

    @AfterEach
    void closeStore() {
        database.close();
    }

    @Test
    void insertedJobIsFoundWithItsRequestAndFirstTransition() {
        Job job = job("team-a", T0);
        store.insert(job);

        Job found = store.find(job.jobId()).orElseThrow();

        assertThat(found.request()).isEqualTo(job.request());
        assertThat(found.state()).isEqualTo(JobState.PENDING);
        assertThat(found.createdAt()).isEqualTo(T0);
        assertThat(found.history()).containsExactly(new Transition(JobState.PENDING, T0, "accepted"));
        assertThat(store.find("no-such-job")).isEmpty();
    }

    @Test
    void everyTransitionIsStoredWithItsTimeAndFields() {
        Job job = job("team-a", T0);
        store.insert(job);
        BackendRun run = new BackendRun("local", job.executionId(), "123:456");

        assertThat(store.transition(job.jobId(), EnumSet.of(JobState.PENDING),
                new StateUpdate(JobState.SUBMITTED, T0.plusSeconds(1), "driver started", run, null, null, null))).isTrue();
        assertThat(store.transition(job.jobId(), EnumSet.of(JobState.SUBMITTED),
                new StateUpdate(JobState.RUNNING, T0.plusSeconds(2), "up", null, "http://127.0.0.1:4040", null, null))).isTrue();
        assertThat(store.transition(job.jobId(), EnumSet.of(JobState.RUNNING),
                new StateUpdate(JobState.FAILED, T0.plusSeconds(3), "driver failed", null, null, "boom", METRICS))).isTrue();

        Job found = store.find(job.jobId()).orElseThrow();
        assertThat(found.state()).isEqualTo(JobState.FAILED);
        assertThat(found.run()).contains(run);
        assertThat(found.submittedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(found.startedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(found.endedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(found.errorMessage()).isEqualTo("boom");
        assertThat(found.metrics()).isEqualTo(METRICS);
        assertThat(found.sparkUiUrl()).isNull();
        assertThat(found.history()).extracting(Transition::state)
                .containsExactly(JobState.PENDING, JobState.SUBMITTED, JobState.RUNNING, JobState.FAILED);
    }

    @Test
    void transitionFromAnotherStateLosesAndChangesNothing() {
        Job job = job("team-a", T0);
        store.insert(job);
        store.transition(job.jobId(), EnumSet.of(JobState.PENDING), StateUpdate.to(JobState.CANCELLED, T0, "cancelled"));

        boolean moved = store.transition(job.jobId(), EnumSet.of(JobState.PENDING),
                StateUpdate.to(JobState.SUBMITTED, T0.plusSeconds(1), "late launch"));

        assertThat(moved).isFalse();
        Job found = store.find(job.jobId()).orElseThrow();
        assertThat(found.state()).isEqualTo(JobState.CANCELLED);
        assertThat(found.history()).hasSize(2);
    }

    @Test
    void illegalTransitionIsRefused() {
        assertThatThrownBy(() -> store.transition("x", EnumSet.of(JobState.SUCCEEDED),
                StateUpdate.to(JobState.RUNNING, T0, "again")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SUCCEEDED cannot move to RUNNING");
    }

    @Test
    void activeListsOnlyUnfinishedJobsOldestFirst() {
        Job first = job("team-a", T0);
        Job second = job("team-a", T0.plusSeconds(1));
        Job done = job("team-a", T0.plusSeconds(2));
        List.of(second, first, done).forEach(store::insert);
        store.transition(done.jobId(), EnumSet.of(JobState.PENDING), StateUpdate.to(JobState.CANCELLED, T0, "x"));

        assertThat(store.active()).extracting(Job::jobId).containsExactly(first.jobId(), second.jobId());
    }

    @Test
    void listPagesNewestFirstFilteredByTeamAndState() {
        List<Job> teamA = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Job job = job("team-a", T0.plusSeconds(i));
            store.insert(job);
            teamA.add(0, job);
        }
        store.insert(job("team-b", T0.plusSeconds(10)));
        store.transition(teamA.get(0).jobId(), EnumSet.of(JobState.PENDING), StateUpdate.to(JobState.CANCELLED, T0, "x"));

        JobPage first = store.list(new JobQuery(Set.of("team-a"), null, null, 2, null));
        JobPage second = store.list(new JobQuery(Set.of("team-a"), null, null, 2, first.nextPageToken()));
        JobPage third = store.list(new JobQuery(Set.of("team-a"), null, null, 2, second.nextPageToken()));

        assertThat(first.jobs()).extracting(Job::jobId).containsExactly(teamA.get(0).jobId(), teamA.get(1).jobId());
        assertThat(second.jobs()).extracting(Job::jobId).containsExactly(teamA.get(2).jobId(), teamA.get(3).jobId());
        assertThat(third.jobs()).extracting(Job::jobId).containsExactly(teamA.get(4).jobId());
        assertThat(third.next()).isEmpty();
        assertThat(store.list(new JobQuery(Set.of("team-a"), null, JobState.CANCELLED, 10, null)).jobs())
                .extracting(Job::jobId).containsExactly(teamA.get(0).jobId());
        assertThat(store.list(new JobQuery(null, null, null, 10, null)).jobs()).hasSize(6);
    }

    @Test
    void garbledPageTokenIsAUserError() {
        assertThatThrownBy(() -> store.list(new JobQuery(null, null, null, 10, "%%%")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).contains("page_token"));
    }

    @Test
    void listFiltersByNamePrefixAndSeveralTeams() {
        store.insert(job("team-a", T0));
        store.insert(job("team-b", T0.plusSeconds(1)));
        store.insert(job("team-c", T0.plusSeconds(2)));

        assertThat(store.list(new JobQuery(Set.of("team-a", "team-c"), null, null, 10, null)).jobs())
                .extracting(Job::team).containsExactly("team-c", "team-a");
        assertThat(store.list(new JobQuery(null, "job-" + T0.plusSeconds(1).getEpochSecond(), null, 10, null)).jobs())
                .extracting(Job::team).containsExactly("team-b");
        assertThat(store.list(new JobQuery(null, "job_", null, 10, null)).jobs()).as("_ is not a wildcard").isEmpty();
        assertThat(store.list(new JobQuery(Set.of(), null, null, 10, null)).jobs()).isEmpty();
    }

    @Test
    void jobIsFoundByItsExecutionId() {
        Job job = job("team-a", T0);
        store.insert(job);

        assertThat(store.findByExecutionId(job.executionId())).get().extracting(Job::jobId).isEqualTo(job.jobId());
        assertThat(store.findByExecutionId("exec-none")).isEmpty();
    }

    @Test
    void idempotencyKeyIsUniquePerTeam() {
        Job first = withKey(job("team-a", T0), "key-1");
        store.insert(first);
        store.insert(withKey(job("team-b", T0), "key-1"));

        assertThat(store.findByIdempotencyKey("team-a", "key-1")).get().extracting(Job::jobId).isEqualTo(first.jobId());
        assertThat(store.findByIdempotencyKey("team-a", "key-2")).isEmpty();
        assertThatThrownBy(() -> store.insert(withKey(job("team-a", T0.plusSeconds(1)), "key-1")))
                .isInstanceOf(IdempotencyKeyTakenException.class);
    }

    @Test
    void endedJobsWithACallbackAreUndeliveredUntilMarked() {
        Job job = withCallback(job("team-a", T0));
        store.insert(job);
        assertThat(store.undeliveredCallbacks()).isEmpty();
        store.transition(job.jobId(), EnumSet.of(JobState.PENDING), StateUpdate.to(JobState.CANCELLED, T0, "x"));

        assertThat(store.undeliveredCallbacks()).extracting(Job::jobId).containsExactly(job.jobId());
        store.markCallbackDelivered(job.jobId(), T0.plusSeconds(5));

        assertThat(store.undeliveredCallbacks()).isEmpty();
        assertThat(store.find(job.jobId()).orElseThrow().callbackDeliveredAt()).isEqualTo(T0.plusSeconds(5));
    }

    private static Job withKey(Job job, String key) {
        SubmitJobRequest r = job.request();
        return Job.accepted(job.jobId(), job.executionId(),
                new SubmitJobRequest(r.name(), r.team(), r.user(), r.config(), key, null, null), job.createdAt());
    }

    private static Job withCallback(Job job) {
        SubmitJobRequest r = job.request();
        return Job.accepted(job.jobId(), job.executionId(),
                new SubmitJobRequest(r.name(), r.team(), r.user(), r.config(), null, "http://127.0.0.1:1/cb", null),
                job.createdAt());
    }

    @Test
    void theRunnersSchemaStandsAloneAndKeepsThePlacement() {
        Job job = job("team-a", T0);
        Job placed = Job.accepted(job.jobId(), job.executionId(), job.request(), T0, "default", "standalone");
        store.insert(placed);

        assertThat(store.find(job.jobId()).orElseThrow().placedBackend()).isEqualTo("standalone");
    }

    static Job job(String team, Instant createdAt) {
        SubmitJobRequest request = Json.read("""
                {"name": "job-%s", "team": "%s", "user": "user@doordash.com", "config": {"spark_version": "3.5",
                 "core_etl": {"version": "2.7.0", "job_spec": {"sources": [{"type": "iceberg", "catalog": "pedregal",
                 "database": "raw", "table": "events"}], "sinks": [{"type": "iceberg", "catalog": "pedregal",
                 "database": "derived", "table": "orders"}]}}}}
                """.formatted(createdAt.getEpochSecond(), team), SubmitJobRequest.class);
        return Job.accepted(UUID.randomUUID().toString(), "exec-" + UUID.randomUUID(), request, createdAt);
    }
}
