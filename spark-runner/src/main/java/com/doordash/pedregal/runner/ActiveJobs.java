package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The unfinished jobs, in memory: loaded from the store once at start, then kept current by the runner, which
 * calls {@link #added} or {@link #refresh} after each of its writes. Scheduling and monitoring read this view, so
 * their cost follows the jobs that changed, not the backlog, and no request re-reads every unfinished job.
 *
 * <p>A refresh reads the job back from the store inside the map's per-key lock: refreshes of one job run one after
 * another, each reading a state at least as new as the write that asked for it, so an older read can never
 * overwrite a newer one. Ended jobs leave the view.
 */
final class ActiveJobs {
    private final JdbcJobStore store;
    private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();

    ActiveJobs(JdbcJobStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** Loads the unfinished jobs of the store; returns them. */
    List<Job> load() {
        List<Job> unfinished = store.active();
        unfinished.forEach(job -> jobs.put(job.jobId(), job));
        return unfinished;
    }

    /** A job just stored by this runner. */
    void added(Job job) {
        jobs.put(job.jobId(), job);
    }

    /** Reads the job back after a write of this runner: kept while unfinished, dropped once ended or gone. */
    Optional<Job> refresh(String jobId) {
        return Optional.ofNullable(jobs.compute(jobId,
                (id, old) -> store.find(id).filter(job -> !job.state().isTerminal()).orElse(null)));
    }

    /** The unfinished job {@code jobId}, as this runner last wrote it. */
    Optional<Job> get(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    /** Every unfinished job, in no particular order. */
    Collection<Job> all() {
        return jobs.values();
    }

    int size() {
        return jobs.size();
    }
}
