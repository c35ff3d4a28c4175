package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.JobMetrics;
import com.doordash.pedregal.model.JobState;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.NoSuchJobException;
import com.doordash.pedregal.model.error.PlatformException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves jobs between states: in the store first, then in the in-memory view of unfinished jobs; a job that reaches a
 * final state is reported to its callback. Every state change of the runner goes through here.
 */
final class JobStates {
    private static final Logger log = LoggerFactory.getLogger(JobStates.class);
    private static final Set<JobState> UNFINISHED = EnumSet.of(JobState.PENDING, JobState.SUBMITTED, JobState.RUNNING);

    private final JdbcJobStore store;
    private final ActiveJobs active;
    private final CallbackNotifier callbacks;
    private final Clock clock;

    JobStates(JdbcJobStore store, ActiveJobs active, CallbackNotifier callbacks, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.active = requireNonNull(active, "active is null");
        this.callbacks = requireNonNull(callbacks, "callbacks is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Now, to the millisecond the store keeps. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The job as the runner last wrote it: unfinished ones from memory, the others from the store. */
    Job job(String jobId) {
        return active.get(jobId).or(() -> store.find(jobId)).orElseThrow(() -> new NoSuchJobException(jobId));
    }

    /** Moves the job when it is in one of {@code from}; whether it moved. */
    boolean transition(String jobId, Set<JobState> from, StateUpdate change) {
        try {
            return store.transition(jobId, from, change);
        }
        finally {
            active.refresh(jobId);
        }
    }

    /** Like {@link #transition}, logging the move and reporting a final state to the job's callback. */
    boolean move(Job job, Set<JobState> from, StateUpdate change) {
        if (!transition(job.jobId(), from, change)) {
            return false;
        }
        log.info("Job {} is {}{}", job.jobId(), change.state(), change.errorMessage() == null ? "" : ": " + change.errorMessage());
        if (change.state().isTerminal()) {
            callbacks.notify(job(job.jobId()));
        }
        return true;
    }

    /**
     * Ends an unfinished job with {@code change} and returns it as it is now — with the run a launch may have recorded
     * meanwhile, which is then the caller's to stop. Fails when the job already ended.
     */
    Job end(Job job, StateUpdate change) {
        Set<JobState> from = EnumSet.copyOf(UNFINISHED.stream().filter(state -> state.canMoveTo(change.state())).toList());
        if (job.state().isTerminal() || !transition(job.jobId(), from, change)) {
            throw new PlatformException(ErrorCode.JOB_ALREADY_FINISHED, "job " + job.jobId() + " already finished as "
                    + job(job.jobId()).state() + " and cannot be cancelled");
        }
        return job(job.jobId());
    }

    /** Reports an ended job to its callback. */
    void ended(Job job) {
        callbacks.notify(job);
    }

    /** Records the Spark UI a running job moved to. */
    void sparkUiMoved(Job job, String sparkUiUrl) {
        store.updateSparkUiUrl(job.jobId(), sparkUiUrl);
        active.refresh(job.jobId());
    }

    /** Records the metrics a running job reported so far. */
    void progressed(Job job, JobMetrics metrics) {
        store.updateRunningMetrics(job.jobId(), metrics);
        active.refresh(job.jobId());
    }
}
