package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.Placement;
import com.doordash.pedregal.gateway.SparkGateway;
import com.doordash.pedregal.model.JobState;
import com.doordash.pedregal.model.concurrent.Daemons;
import com.doordash.pedregal.model.error.PlatformException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts PENDING jobs as the admission limits let them, on the backend they were placed on, and stops jobs — each on
 * a launcher thread, at most one start or stop per job at a time ({@link #busy}).
 */
final class Launcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Launcher.class);
    /** How long a scheduling pass waits for more submits to share it. */
    private static final long SCHEDULE_WINDOW_MILLIS = 5;

    private final JobStates states;
    private final ActiveJobs active;
    private final SparkGateway gateway;
    private final LaunchPlanner planner;
    private final Admission admission;
    private final BiConsumer<Job, BackendRun> afterLaunch;
    /** Jobs a launcher thread is starting or stopping now. */
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean scheduleRequested = new AtomicBoolean();

    /** {@code afterLaunch} checks a job's run at once after its start (a warm driver runs it at once). */
    Launcher(JobStates states, ActiveJobs active, SparkGateway gateway, LaunchPlanner planner, Admission admission,
            int threads, BiConsumer<Job, BackendRun> afterLaunch) {
        this.states = requireNonNull(states, "states is null");
        this.active = requireNonNull(active, "active is null");
        this.gateway = requireNonNull(gateway, "gateway is null");
        this.planner = requireNonNull(planner, "planner is null");
        this.admission = requireNonNull(admission, "admission is null");
        this.afterLaunch = requireNonNull(afterLaunch, "afterLaunch is null");
        this.threads = Executors.newFixedThreadPool(threads, Daemons.named("dcp-runner-launch"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Daemons.named("dcp-runner-schedule"));
    }

    /**
     * Asks for a scheduling pass soon: submits arriving meanwhile share it, so a burst costs a pass per
     * {@value #SCHEDULE_WINDOW_MILLIS} ms rather than one per job.
     */
    void requestSchedule() {
        if (scheduleRequested.compareAndSet(false, true)) {
            try {
                scheduler.schedule(() -> {
                    scheduleRequested.set(false);
                    schedule();
                }, SCHEDULE_WINDOW_MILLIS, TimeUnit.MILLISECONDS);
            }
            catch (RejectedExecutionException e) {
                scheduleRequested.set(false); // shutting down: the next start schedules the job
            }
        }
    }

    /** Launches the PENDING jobs that the admission limits let start now. */
    synchronized void schedule() {
        try {
            List<Job> running = new ArrayList<>(active.launched());
            for (String jobId : busy) {
                active.get(jobId).filter(job -> job.state() == JobState.PENDING).ifPresent(running::add);
            }
            admission.admit(active.pendingByTeam(), running, job -> busy.contains(job.jobId()))
                    .forEach(job -> inBackground(job, () -> states.job(job.jobId()).state() == JobState.PENDING,
                            () -> launch(job)));
        }
        catch (RuntimeException e) {
            log.warn("Cannot start waiting jobs; retrying", e);
        }
    }

    /**
     * Ends an unfinished job with {@code change} and stops its driver; returns once the driver's processes are gone.
     * Fails when the job already ended.
     */
    void stop(Job job, StateUpdate change) {
        Job stopped = states.end(job, change);
        // A launch may have recorded its run between our read and our transition: then it is ours to stop. A launch
        // recording after our transition sees the job ended, and stops the run itself (see awaitIdle).
        stopped.run().ifPresent(gateway::cancel);
        states.ended(stopped);
    }

    /** Like {@link #stop}, on a launcher thread; nothing when the job is being started or stopped already. */
    void stopInBackground(Job job, StateUpdate change) {
        inBackground(job, () -> true, () -> {
            try {
                stop(job, change);
                log.info("Job {} is {}: {}", job.jobId(), change.state(), change.errorMessage());
            }
            catch (PlatformException e) {
                // it ended on its own meanwhile
            }
        });
    }

    private void inBackground(Job job, BooleanSupplier stillWanted, Runnable work) {
        if (!busy.add(job.jobId())) {
            return;
        }
        try {
            threads.execute(() -> {
                try {
                    // Checked again under the guard: the caller's copy may predate a start that just finished.
                    if (stillWanted.getAsBoolean()) {
                        work.run();
                    }
                }
                catch (RuntimeException e) {
                    log.warn("Cannot start or stop job {}", job.jobId(), e);
                }
                finally {
                    busy.remove(job.jobId());
                }
            });
        }
        catch (RejectedExecutionException e) {
            busy.remove(job.jobId()); // shutting down: the next start picks the job up
        }
    }

    /**
     * Waits (bounded) until no launcher thread starts or stops {@code jobId}: after {@link #stop}, a start under way
     * has then seen the job end and stopped the driver it started.
     */
    void awaitIdle(String jobId) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (busy.contains(jobId) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void launch(Job job) {
        BackendRun run;
        try {
            // A job accepted before placements were stored is placed now.
            Placement placement = job.placedBackend() != null
                    ? new Placement(job.placedBackend(), job.request().config().sparkVersion())
                    : gateway.place(LaunchPlanner.routeKey(job.request(), job.namespace()), planner.resources(job.request().config()));
            // A driver started just before a crash, whose start was never stored, is adopted, not started twice.
            run = gateway.find(job.executionId()).orElseGet(() -> gateway.launch(placement, planner.launchRequest(job)));
        }
        catch (RuntimeException e) {
            log.warn("Cannot launch job {}", job.jobId(), e);
            states.move(job, EnumSet.of(JobState.PENDING), StateUpdate.launchFailed(states.now(),
                    "cannot start the driver: " + e.getMessage()));
            return;
        }
        if (states.transition(job.jobId(), EnumSet.of(JobState.PENDING), StateUpdate.submitted(states.now(), run))) {
            try {
                active.get(job.jobId()).ifPresent(fresh -> afterLaunch.accept(fresh, run));
            }
            catch (RuntimeException e) {
                log.warn("Cannot check job {} after its launch; the monitor will", job.jobId(), e);
            }
            return;
        }
        JobState now = states.job(job.jobId()).state();
        if (now == JobState.CANCELLED) {
            log.info("Job {} was cancelled while its driver started; stopping it", job.jobId());
            gateway.cancel(run);
        }
        else {
            log.warn("Job {} became {} while its driver started; leaving the driver to the monitor", job.jobId(), now);
        }
    }

    @Override
    public void close() {
        Daemons.shutdown(scheduler, Duration.ofSeconds(10));
        Daemons.shutdown(threads, Duration.ofSeconds(10));
    }
}
