package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.Placement;
import com.doordash.pedregal.gateway.PlacementException;
import com.doordash.pedregal.gateway.ResourceRequest;
import com.doordash.pedregal.gateway.SparkGateway;
import com.doordash.pedregal.model.JobRequestValidator;
import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.auth.Caller;
import com.doordash.pedregal.model.driver.DriverConf;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.runner.policy.SubmitPolicy;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's API: jobs are accepted (validated, authorized, placed and stored), read, cancelled and their logs
 * fetched here, for the caller's teams only. Behind it, the {@link Launcher} starts PENDING jobs as admission allows,
 * the {@link Monitor} follows the launched ones through SUBMITTED → RUNNING → SUCCEEDED | FAILED | CANCELLED | TIMEOUT,
 * and {@link JobStates} stores every transition; unfinished jobs stay in memory ({@link ActiveJobs}).
 */
public final class JobRunner implements AutoCloseable {
    /** The most log lines any API returns as a tail. */
    public static final int MAX_TAIL_LINES = 100_000;
    /** The catalog playground namespaces live in. */
    public static final String PLAYGROUND_CATALOG = "pedregal";
    private static final String DEFAULT_CANCEL_REASON = "cancelled by request";
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JdbcJobStore store;
    private final SparkGateway gateway;
    private final JobRequestValidator validator;
    private final SubmitPolicy policy;
    private final LaunchPlanner planner;
    private final Admission admission;
    private final ActiveJobs active;
    private final CallbackNotifier callbacks;
    private final GroupCommit inserts;
    private final JobStates states;
    private final Launcher launcher;
    private final Monitor monitor;

    /**
     * A runner storing jobs in {@code store} and running them through {@code gateway}, under the operator's
     * {@code policy}; {@code statusView} turns a job into the status body its callback receives.
     */
    public JobRunner(JdbcJobStore store, SparkGateway gateway, SubmitPolicy policy, RunnerConfig config, Clock clock,
            Function<Job, Object> statusView) {
        this.store = requireNonNull(store, "store is null");
        this.gateway = requireNonNull(gateway, "gateway is null");
        this.policy = requireNonNull(policy, "policy is null");
        requireNonNull(config, "config is null");
        this.validator = new JobRequestValidator(gateway.sparkVersions());
        this.planner = new LaunchPlanner(config, policy);
        this.admission = new Admission(config.admission(), job -> planner.resources(job.request().config()), Job::namespace);
        this.active = new ActiveJobs(store);
        this.callbacks = new CallbackNotifier(store, statusView, config, clock, policy.callbacks());
        this.inserts = new GroupCommit(store);
        this.states = new JobStates(store, active, callbacks, clock);
        this.launcher = new Launcher(states, active, gateway, planner, admission, config.launchThreads(),
                this::followLaunched);
        this.monitor = new Monitor(states, active, gateway, launcher, config);
    }

    /** Checks a job at once after its driver started: a warm driver runs it at once. */
    private void followLaunched(Job job, BackendRun run) {
        monitor.follow(job, run);
    }

    /** Picks up the jobs left unfinished by an earlier run of the platform and starts watching jobs. */
    public void start() {
        List<Job> unfinished = active.load();
        if (!unfinished.isEmpty()) {
            log.info("Resuming {} unfinished job(s): {}", unfinished.size(),
                    unfinished.stream().map(job -> job.jobId() + " " + job.state()).toList());
        }
        store.undeliveredCallbacks().forEach(callbacks::notify);
        monitor.start();
    }

    /**
     * Validates and stores {@code request} on behalf of {@code caller}, then launches it in the background.
     * With an idempotency key its team already used, returns that job instead (or fails when the request
     * differs).
     */
    public Submission submit(SubmitJobRequest request, Caller caller) {
        return submit(request, caller, LaunchRequest.DEFAULT_NAMESPACE);
    }

    /**
     * Like {@link #submit(SubmitJobRequest, Caller)}, for a job that runs in {@code namespace}: a playground's
     * namespace confines the job's writes to that namespace of the {@value #PLAYGROUND_CATALOG} catalog, enforced in
     * its driver ({@link DriverConf#PLAYGROUND_NAMESPACE}).
     */
    public Submission submit(SubmitJobRequest request, Caller caller, String namespace) {
        requireNonNull(namespace, "namespace is null");
        validator.check(request);
        caller.checkTeam(request.team(), "team");
        caller.checkUser(request.user(), "user");
        policy.check(request, namespace);
        ResourceRequest resources = planner.resources(request.config());
        Placement placement;
        try {
            placement = gateway.place(LaunchPlanner.routeKey(request, namespace), resources);
        }
        catch (PlacementException e) {
            throw LaunchPlanner.invalid(e);
        }
        admission.checkCanEverRun(resources);
        if (request.idempotencyKey() != null) {
            Optional<Job> earlier = store.findByIdempotencyKey(request.team(), request.idempotencyKey());
            if (earlier.isPresent()) {
                return sameRequestOrConflict(earlier.get(), request);
            }
        }
        Job job = Job.accepted(UUID.randomUUID().toString(), "exec-" + UUID.randomUUID().toString().replace("-", ""),
                request, states.now(), namespace, placement.backend());
        try {
            inserts.insert(job);
        }
        catch (IdempotencyKeyTakenException e) {
            // A concurrent submit with the same key stored its job first.
            return sameRequestOrConflict(store.findByIdempotencyKey(request.team(), request.idempotencyKey()).orElseThrow(),
                    request);
        }
        active.added(job);
        log.info("Accepted job {} '{}' of team {} (execution {})", job.jobId(), request.name(), request.team(), job.executionId());
        launcher.requestSchedule();
        return new Submission(job, true);
    }

    private static Submission sameRequestOrConflict(Job earlier, SubmitJobRequest request) {
        if (!earlier.request().equals(request)) {
            throw new PlatformException(ErrorCode.IDEMPOTENCY_CONFLICT, "idempotency key " + request.idempotencyKey()
                    + " of team " + request.team() + " was used for job " + earlier.jobId() + " with another request",
                    "idempotency_key");
        }
        return new Submission(earlier, false);
    }

    /** The unfinished jobs of {@code namespace}. */
    public List<Job> activeInNamespace(String namespace) {
        return active.all().stream().filter(job -> job.namespace().equals(namespace)).toList();
    }

    /** The job with {@code jobId}, if {@code caller} may see it. */
    public Job job(String jobId, Caller caller) {
        Job job = states.job(jobId);
        caller.checkTeam(job.team(), "job_id");
        return job;
    }

    /** The job whose execution is {@code executionId}, if {@code caller} may see it. */
    public Job jobByExecutionId(String executionId, Caller caller) {
        Job job = store.findByExecutionId(executionId).orElseThrow(() -> new PlatformException(ErrorCode.JOB_NOT_FOUND,
                "execution " + executionId + " does not exist", "execution_id"));
        caller.checkTeam(job.team(), "execution_id");
        return job;
    }

    /** A page of the jobs {@code caller} may see, newest first. */
    public JobPage list(JobQuery query, Caller caller) {
        if (query.teams() != null) {
            query.teams().forEach(team -> caller.checkTeam(team, "team"));
            return store.list(query);
        }
        return store.list(caller.admin() ? query : query.withTeams(caller.teams()));
    }

    /**
     * Cancels the job and stops its driver; returns once the driver's processes are gone. A job that
     * already ended cannot be cancelled. A null or blank {@code reason} records "cancelled by request".
     */
    public Job cancel(String jobId, String reason, Caller caller) {
        if (reason == null || reason.isBlank()) {
            reason = DEFAULT_CANCEL_REASON;
        }
        Job job = job(jobId, caller);
        launcher.stop(job, StateUpdate.cancelled(states.now(), reason));
        launcher.awaitIdle(jobId);
        log.info("Cancelled job {} ({})", jobId, reason);
        return states.job(jobId);
    }

    /** The job's driver log, whole or its last {@code tailLines} lines; empty before it was launched. */
    public String logs(String jobId, OptionalInt tailLines, Caller caller) {
        return job(jobId, caller).run().map(run -> gateway.logs(run, tailLines)).orElse("");
    }

    /** Whether the store answers. */
    public boolean isHealthy() {
        return store.isHealthy();
    }

    @Override
    public void close() {
        monitor.close();
        launcher.close();
        inserts.close();
        callbacks.close();
    }
}
