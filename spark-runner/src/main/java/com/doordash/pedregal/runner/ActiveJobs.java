package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.JobState;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The unfinished jobs, in memory: loaded from the store once at start, then kept current by the runner, which
 * calls {@link #added} or {@link #refresh} after each of its writes. Scheduling and monitoring read this view, so
 * their cost follows the jobs that changed or can start, not the backlog, and no request re-reads every unfinished
 * job. PENDING jobs are also queued per team in submit order (admission reads only the queues' heads), launched
 * ones kept apart (the monitor asks the backends about them only).
 *
 * <p>A refresh reads the job back from the store inside the map's per-key lock: refreshes of one job run one after
 * another, each reading a state at least as new as the write that asked for it, so an older read can never
 * overwrite a newer one. Ended jobs leave the view.
 */
final class ActiveJobs {
    private static final Comparator<Order> ORDER = Comparator.comparing(Order::createdAt).thenComparing(Order::jobId);

    private final JdbcJobStore store;
    private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, NavigableMap<Order, Job>> pendingByTeam = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Job> launched = new ConcurrentHashMap<>();

    /** Where a PENDING job stands in its team's queue. */
    private record Order(Instant createdAt, String jobId) {
    }

    ActiveJobs(JdbcJobStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** Loads the unfinished jobs of the store; returns them. */
    List<Job> load() {
        List<Job> unfinished = store.active();
        unfinished.forEach(this::added);
        return unfinished;
    }

    /** A job just stored by this runner. */
    void added(Job job) {
        jobs.compute(job.jobId(), (id, old) -> index(old, job));
    }

    /** Reads the job back after a write of this runner: kept while unfinished, dropped once ended or gone. */
    Optional<Job> refresh(String jobId) {
        return Optional.ofNullable(jobs.compute(jobId,
                (id, old) -> index(old, store.find(id).filter(job -> !job.state().isTerminal()).orElse(null))));
    }

    /** Moves the job between the side indexes; runs under the job's lock in {@link #jobs}. */
    private Job index(Job old, Job now) {
        if (old != null) {
            if (old.state() == JobState.PENDING) {
                NavigableMap<Order, Job> queue = pendingByTeam.get(old.team());
                if (queue != null) {
                    queue.remove(order(old));
                }
            }
            launched.remove(old.jobId());
        }
        if (now != null) {
            if (now.state() == JobState.PENDING) {
                pendingByTeam.computeIfAbsent(now.team(), team -> new ConcurrentSkipListMap<>(ORDER)).put(order(now), now);
            }
            else {
                launched.put(now.jobId(), now);
            }
        }
        return now;
    }

    private static Order order(Job job) {
        return new Order(job.createdAt(), job.jobId());
    }

    /** The unfinished job {@code jobId}, as this runner last wrote it. */
    Optional<Job> get(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    /** Every unfinished job, in no particular order. */
    Collection<Job> all() {
        return Collections.unmodifiableCollection(jobs.values());
    }

    /** The SUBMITTED and RUNNING jobs. */
    Collection<Job> launched() {
        return Collections.unmodifiableCollection(launched.values());
    }

    /** Each team's PENDING jobs, oldest first (live views: read them on one thread at a time). */
    Map<String, Collection<Job>> pendingByTeam() {
        Map<String, Collection<Job>> queues = new java.util.LinkedHashMap<>();
        pendingByTeam.forEach((team, queue) -> queues.put(team, Collections.unmodifiableCollection(queue.values())));
        return queues;
    }
}
