package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.RunStatus;
import com.doordash.pedregal.gateway.SparkGateway;
import com.doordash.pedregal.model.JobState;
import com.doordash.pedregal.model.concurrent.Daemons;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the jobs that have a driver — the ones this runner launched and the ones it found in the store after a
 * restart alike — by asking their backends every poll interval, and moves them as their drivers move; a job past its
 * timeout is stopped. After each round it lets the launcher start what waits.
 */
final class Monitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Monitor.class);
    private static final Set<JobState> LAUNCHED = EnumSet.of(JobState.SUBMITTED, JobState.RUNNING);

    private final JobStates states;
    private final ActiveJobs active;
    private final SparkGateway gateway;
    private final Launcher launcher;
    private final RunnerConfig config;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Daemons.named("dcp-runner-monitor"));

    Monitor(JobStates states, ActiveJobs active, SparkGateway gateway, Launcher launcher, RunnerConfig config) {
        this.states = requireNonNull(states, "states is null");
        this.active = requireNonNull(active, "active is null");
        this.gateway = requireNonNull(gateway, "gateway is null");
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.config = requireNonNull(config, "config is null");
    }

    /** Starts polling. */
    void start() {
        long interval = config.pollInterval().toMillis();
        thread.scheduleWithFixedDelay(this::poll, 0, interval, TimeUnit.MILLISECONDS);
    }

    /** One round: every launched job, then a scheduling pass. */
    void poll() {
        // A copy: launches and transitions change the view while the backends are asked.
        for (Job job : new ArrayList<>(active.launched())) {
            try {
                job.run().ifPresent(run -> follow(job, run));
            }
            catch (RuntimeException e) {
                log.warn("Cannot check job {}", job.jobId(), e);
            }
        }
        launcher.schedule();
    }

    /** Moves {@code job} as its {@code run} moved; stops it past its timeout. */
    void follow(Job job, BackendRun run) {
        Duration timeout = timeout(job);
        if (!timeout.isZero() && job.submittedAt() != null && states.now().isAfter(job.submittedAt().plus(timeout))) {
            launcher.stopInBackground(job, StateUpdate.timedOut(states.now(),
                    "the job ran longer than its timeout of " + timeout.toSeconds() + " s"));
            return;
        }
        RunStatus status = gateway.status(run);
        switch (status.state()) {
            case STARTING -> {
            }
            case RUNNING -> {
                if (job.state() == JobState.SUBMITTED) {
                    states.move(job, EnumSet.of(JobState.SUBMITTED), StateUpdate.running(states.now(), status.sparkUiUrl()));
                }
                else if (status.sparkUiUrl() != null && !status.sparkUiUrl().equals(job.sparkUiUrl())) {
                    states.sparkUiMoved(job, status.sparkUiUrl());
                }
                if (job.state() == JobState.RUNNING && status.metrics() != null && !status.metrics().equals(job.metrics())) {
                    states.progressed(job, status.metrics());
                }
            }
            case SUCCEEDED -> states.move(job, LAUNCHED, StateUpdate.succeeded(states.now(), status.metrics()));
            case FAILED -> states.move(job, LAUNCHED, StateUpdate.failed(states.now(), status.message(), status.metrics()));
            case LOST -> states.move(job, LAUNCHED, StateUpdate.lost(states.now(), status.message()));
        }
    }

    private Duration timeout(Job job) {
        Long seconds = job.request().timeoutSeconds();
        return seconds != null ? Duration.ofSeconds(seconds) : config.defaultTimeout();
    }

    @Override
    public void close() {
        Daemons.shutdown(thread, Duration.ofSeconds(10));
    }
}
