package com.doordash.pedregal.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.gateway.ResourceRequest;
import com.doordash.pedregal.model.error.InvalidRequestException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class AdmissionTest {
    private static final ResourceRequest SMALL = new ResourceRequest(1, 1L << 30, 2, 2, 2L << 30);
    private final Map<String, ResourceRequest> resources = new HashMap<>();
    private final Map<String, String> namespaces = new HashMap<>();
    private final List<Job> submitted = new ArrayList<>();

    @Test
    void underAGlobalLimitTeamsTakeTurnsAndEachTeamKeepsItsOrder() {
        Admission admission = admission(new AdmissionConfig(1, 0, 0, 0, 0, 0, 0));
        Job a1 = submit("a");
        Job a2 = submit("a");
        Job a3 = submit("a");
        Job b1 = submit("b");
        Job b2 = submit("b");

        List<Job> order = runOneAtATime(admission);

        assertThat(order).containsExactly(a1, b1, a2, b2, a3);
    }

    @Test
    void teamAtItsLimitLetsOtherTeamsPass() {
        Admission admission = admission(new AdmissionConfig(0, 0, 0, 1, 0, 0, 0));
        Job a1 = submit("a");
        Job a2 = submit("a");
        Job b1 = submit("b");

        assertThat(admission.admit(List.of(a2, b1), List.of(a1))).containsExactly(b1);
    }

    @Test
    void globalLimitHoldsEveryoneBehindTheOldestWaitingJob() {
        Admission admission = admission(new AdmissionConfig(0, 10, 0, 0, 0, 0, 0));
        Job running = submit("a");
        Job big = submit("b", new ResourceRequest(1, 1L << 30, 2, 4, 1L << 30)); // 9 cores
        Job small = submit("c", new ResourceRequest(1, 1L << 30, 0, 0, 0));      // 1 core

        assertThat(admission.admit(List.of(big, small), List.of(running)))
                .as("5 cores are in use: the big job waits, and the small one waits behind it")
                .isEmpty();
        assertThat(admission.admit(List.of(big, small), List.of())).containsExactly(big, small);
    }

    @Test
    void memoryAndNamespaceLimitsHoldJobsBack() {
        Admission admission = admission(new AdmissionConfig(0, 0, 0, 0, 0, 6L << 30, 1));
        Job a1 = submit("a"); // 5 GiB
        Job a2 = submit("a");
        Job b1 = submit("b");
        namespaces.put(b1.jobId(), "pg-b");

        assertThat(admission.admit(List.of(a1, a2, b1), List.of())).containsExactly(a1, b1);
    }

    @Test
    void jobLargerThanALimitOnItsOwnIsRejected() {
        Admission admission = admission(new AdmissionConfig(8, 16, 0, 0, 0, 32L << 30, 0));

        assertThatThrownBy(() -> admission.checkCanEverRun(new ResourceRequest(2, 4L << 30, 5, 4, 8L << 30)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("config.resources: the job asks 22 of cores in all (driver and executors), more than the"
                        + " platform ever grants all jobs together at once (runner.admission.max-cores = 16)");
        assertThatThrownBy(() -> admission.checkCanEverRun(new ResourceRequest(1, 4L << 30, 4, 1, 8L << 30)))
                .hasMessage("config.resources: the job asks 36864m of memory in all (driver and executors), more than the"
                        + " platform ever grants one team at once (runner.admission.team-max-memory = 32768m)");
        admission.checkCanEverRun(SMALL);
    }

    /** Runs the jobs submitted so far with at most one running: the order they start in. */
    private List<Job> runOneAtATime(Admission admission) {
        List<Job> pending = new ArrayList<>(submitted);
        List<Job> order = new ArrayList<>();
        while (!pending.isEmpty()) {
            List<Job> admitted = admission.admit(pending, List.of());
            assertThat(admitted).hasSize(1);
            order.add(admitted.get(0));
            pending.remove(admitted.get(0));
        }
        return order;
    }

    private Admission admission(AdmissionConfig limits) {
        return new Admission(limits, job -> resources.getOrDefault(job.jobId(), SMALL),
                job -> namespaces.getOrDefault(job.jobId(), "default"));
    }

    private Job submit(String team) {
        return submit(team, SMALL);
    }

    private Job submit(String team, ResourceRequest request) {
        Job job = JobStoreContract.job(team, Instant.parse("2026-11-21T10:00:00Z").plusSeconds(submitted.size()));
        resources.put(job.jobId(), request);
        submitted.add(job);
        return job;
    }
}
