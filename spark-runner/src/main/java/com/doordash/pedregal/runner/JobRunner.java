package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.ResourceRequest;
import com.doordash.pedregal.gateway.RouteKey;
import com.doordash.pedregal.gateway.RunStatus;
import com.doordash.pedregal.gateway.SparkGateway;
import com.doordash.pedregal.model.ByteSize;
import com.doordash.pedregal.model.CustomJarConfig;
import com.doordash.pedregal.model.DriverConfig;
import com.doordash.pedregal.model.ExecutorConfig;
import com.doordash.pedregal.model.JobRequestValidator;
import com.doordash.pedregal.model.JobState;
import com.doordash.pedregal.model.ResourceConfig;
import com.doordash.pedregal.model.SparkJobConfig;
import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.NoSuchJobException;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.model.auth.Caller;
import com.doordash.pedregal.runner.policy.SubmitPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives jobs through PENDING → SUBMITTED → RUNNING → SUCCEEDED | FAILED | CANCELLED, storing every
 * transition. A monitor polls the backends of all unfinished jobs — the ones it launched and the ones it
 * found in the store after a restart alike — so no job is ever forgotten.
 */
public final class JobRunner implements AutoCloseable {
    /** The most log lines any API returns as a tail. */
    public static final int MAX_TAIL_LINES = 100_000;
    /** The catalog playground namespaces live in. */
    public static final String PLAYGROUND_CATALOG = "pedregal";
    /** Arms the driver's playground write wall with {@code catalog.namespace}; read by coreetl's DriverWall. */
    public static final String PLAYGROUND_NAMESPACE_CONF = Application.PLAYGROUND_NAMESPACE_CONF;
    private static final String DEFAULT_CANCEL_REASON = "cancelled by request";
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private static final Set<JobState> UNFINISHED = EnumSet.of(JobState.PENDING, JobState.SUBMITTED, JobState.RUNNING);
    private static final Set<JobState> LAUNCHED = EnumSet.of(JobState.SUBMITTED, JobState.RUNNING);
    /** How long a scheduling pass waits for more submits to share it. */
    private static final long SCHEDULE_WINDOW_MILLIS = 5;

    private final JdbcJobStore store;
    private final SparkGateway gateway;
    private final RunnerConfig config;
    private final Clock clock;
    private final JobRequestValidator validator;
    private final SubmitPolicy policy;
    private final Set<String> launching = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService monitor;
    private final ExecutorService launcher;
    private final CallbackNotifier callbacks;
    private final Admission admission;
    private final ActiveJobs active;
    private final AtomicBoolean scheduleRequested = new AtomicBoolean();

    /**
     * A runner storing jobs in {@code store} and running them through {@code gateway}, under the operator's
     * {@code policy}; {@code statusView} turns a job into the status body its callback receives.
     */
    public JobRunner(JdbcJobStore store, SparkGateway gateway, SubmitPolicy policy, RunnerConfig config, Clock clock,
            Function<Job, Object> statusView) {
        this.store = requireNonNull(store, "store is null");
        this.gateway = requireNonNull(gateway, "gateway is null");
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.validator = new JobRequestValidator(gateway.sparkVersions());
        this.policy = requireNonNull(policy, "policy is null");
        this.monitor = Executors.newSingleThreadScheduledExecutor(daemon("dcp-runner-monitor"));
        this.launcher = Executors.newFixedThreadPool(config.launchThreads(), daemon("dcp-runner-launch"));
        this.callbacks = new CallbackNotifier(store, statusView, config, clock, policy.callbacks());
        this.admission = new Admission(config.admission(), job -> resources(job.request().config()), JobRunner::namespace);
        this.active = new ActiveJobs(store);
    }

    /** Picks up the jobs left unfinished by an earlier run of the platform and starts watching jobs. */
    public void start() {
        List<Job> unfinished = active.load();
        if (!unfinished.isEmpty()) {
            log.info("Resuming {} unfinished job(s): {}", unfinished.size(),
                    unfinished.stream().map(job -> job.jobId() + " " + job.state()).toList());
        }
        store.undeliveredCallbacks().forEach(callbacks::notify);
        long interval = config.pollInterval().toMillis();
        monitor.scheduleWithFixedDelay(this::poll, 0, interval, TimeUnit.MILLISECONDS);
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
     * its driver (conf {@value #PLAYGROUND_NAMESPACE_CONF}).
     */
    public Submission submit(SubmitJobRequest request, Caller caller, String namespace) {
        requireNonNull(namespace, "namespace is null");
        validator.check(request);
        caller.checkTeam(request.team(), "team");
        caller.checkUser(request.user(), "user");
        policy.check(request, namespace);
        ResourceRequest resources = resources(request.config());
        gateway.place(routeKey(request, namespace), resources);
        admission.checkCanEverRun(resources);
        if (request.idempotencyKey() != null) {
            Optional<Job> earlier = store.findByIdempotencyKey(request.team(), request.idempotencyKey());
            if (earlier.isPresent()) {
                return sameRequestOrConflict(earlier.get(), request);
            }
        }
        Job job = Job.accepted(UUID.randomUUID().toString(), "exec-" + UUID.randomUUID().toString().replace("-", ""),
                request, now(), namespace);
        try {
            store.insert(job);
        }
        catch (IdempotencyKeyTakenException e) {
            // A concurrent submit with the same key stored its job first.
            return sameRequestOrConflict(store.findByIdempotencyKey(request.team(), request.idempotencyKey()).orElseThrow(),
                    request);
        }
        active.added(job);
        log.info("Accepted job {} '{}' of team {} (execution {})", job.jobId(), request.name(), request.team(), job.executionId());
        requestSchedule();
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
        Job job = job(jobId);
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
        stop(job, StateUpdate.to(JobState.CANCELLED, now(), reason));
        awaitLaunchEnd(jobId);
        log.info("Cancelled job {} ({})", jobId, reason);
        return job(jobId);
    }

    /** The job's driver log, whole or its last {@code tailLines} lines; empty before it was launched. */
    public String logs(String jobId, OptionalInt tailLines, Caller caller) {
        return job(jobId, caller).run().map(run -> gateway.logs(run, tailLines)).orElse("");
    }

    /** The job as this runner last wrote it: unfinished ones from memory, the others from the store. */
    private Job job(String jobId) {
        return active.get(jobId).or(() -> store.find(jobId)).orElseThrow(() -> new NoSuchJobException(jobId));
    }

    /** Moves the job in the store when it is in one of {@code from}, and keeps the in-memory view current. */
    private boolean transition(String jobId, Set<JobState> from, StateUpdate change) {
        try {
            return store.transition(jobId, from, change);
        }
        finally {
            active.refresh(jobId);
        }
    }

    /** Moves an unfinished job to a final state and stops its driver; fails when it already ended. */
    /**
     * Waits (bounded) for a launch of {@code jobId} under way: it sees the job ended and stops the driver it started,
     * so that a cancel answers once nothing of the job runs any more.
     */
    private void awaitLaunchEnd(String jobId) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (launching.contains(jobId) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void stop(Job job, StateUpdate change) {
        Set<JobState> from = EnumSet.copyOf(UNFINISHED.stream().filter(state -> state.canMoveTo(change.state())).toList());
        if (job.state().isTerminal() || !transition(job.jobId(), from, change)) {
            Job now = job(job.jobId());
            throw new PlatformException(ErrorCode.JOB_ALREADY_FINISHED,
                    "job " + job.jobId() + " already finished as " + now.state() + " and cannot be cancelled");
        }
        // Read the job again: a launch may have recorded its run between our read and our transition, and then it
        // is ours to stop. A launch recording after our transition sees the job ended, and stops the run itself.
        Job stopped = job(job.jobId());
        stopped.run().ifPresent(gateway::cancel);
        callbacks.notify(stopped);
    }

    /** Whether the store answers. */
    public boolean isHealthy() {
        return store.isHealthy();
    }

    @Override
    public void close() {
        monitor.shutdownNow();
        launcher.shutdownNow();
        callbacks.close();
        try {
            monitor.awaitTermination(10, TimeUnit.SECONDS);
            launcher.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void poll() {
        // A copy: launches and transitions change the view while the backends are asked.
        for (Job job : new ArrayList<>(active.launched())) {
            try {
                job.run().ifPresent(run -> follow(job, run));
            }
            catch (RuntimeException e) {
                log.warn("Cannot check job {}", job.jobId(), e);
            }
        }
        schedule();
    }

    /**
     * Asks for a scheduling pass on the monitor thread soon: submits arriving meanwhile share it, so a burst costs
     * a pass per {@value #SCHEDULE_WINDOW_MILLIS} ms rather than one per job.
     */
    private void requestSchedule() {
        if (scheduleRequested.compareAndSet(false, true)) {
            try {
                monitor.schedule(() -> {
                    scheduleRequested.set(false);
                    schedule();
                }, SCHEDULE_WINDOW_MILLIS, TimeUnit.MILLISECONDS);
            }
            catch (java.util.concurrent.RejectedExecutionException e) {
                scheduleRequested.set(false); // shutting down: the next start schedules the job
            }
        }
    }

    /** Launches the PENDING jobs that the admission limits let start now. */
    private synchronized void schedule() {
        try {
            List<Job> running = new ArrayList<>(active.launched());
            for (String jobId : launching) {
                active.get(jobId).filter(job -> job.state() == JobState.PENDING).ifPresent(running::add);
            }
            admission.admit(active.pendingByTeam(), running, job -> launching.contains(job.jobId()))
                    .forEach(this::launchInBackground);
        }
        catch (RuntimeException e) {
            log.warn("Cannot start waiting jobs; retrying", e);
        }
    }

    private static RouteKey routeKey(SubmitJobRequest request, String namespace) {
        return new RouteKey(request.team(), namespace, request.config().sparkVersion(),
                request.config().effectiveJobType().name());
    }

    private static String namespace(Job job) {
        return job.namespace();
    }

    /** The resources {@code config} asks for, with the defaults Spark applies to what it leaves out. */
    private ResourceRequest resources(SparkJobConfig config) {
        ResourceConfig resources = config.resources();
        DriverConfig driver = resources == null ? null : resources.driver();
        ExecutorConfig executor = resources == null ? null : resources.executor();
        int executors = 0;
        if (resources != null && resources.dynamicAllocationEnabled()) {
            executors = resources.effectiveMaxExecutors() != null ? resources.effectiveMaxExecutors() : 0;
        }
        else if (executor != null) {
            executors = executor.instances() != null ? executor.instances() : 1;
        }
        return new ResourceRequest(
                driver == null || driver.cores() == null ? 1 : driver.cores(),
                (driver == null || driver.memory() == null ? this.config.defaultDriverMemory() : ByteSize.bytes(driver.memory()))
                        + (driver == null || driver.memoryOverhead() == null ? 0 : ByteSize.bytes(driver.memoryOverhead())),
                executors,
                executor == null || executor.cores() == null ? 1 : executor.cores(),
                (executor == null || executor.memory() == null ? ByteSize.bytes("1g") : ByteSize.bytes(executor.memory()))
                        + (executor == null || executor.memoryOverhead() == null ? 0 : ByteSize.bytes(executor.memoryOverhead())));
    }

    private void follow(Job job, BackendRun run) {
        Duration timeout = timeout(job);
        if (!timeout.isZero() && job.submittedAt() != null && now().isAfter(job.submittedAt().plus(timeout))) {
            timeOut(job, timeout);
            return;
        }
        RunStatus status = gateway.status(run);
        switch (status.state()) {
            case STARTING -> {
            }
            case RUNNING -> {
                if (job.state() == JobState.SUBMITTED) {
                    move(job, EnumSet.of(JobState.SUBMITTED), new StateUpdate(JobState.RUNNING, now(),
                            "Spark application started", null, status.sparkUiUrl(), null, null));
                }
                else if (status.sparkUiUrl() != null && !status.sparkUiUrl().equals(job.sparkUiUrl())) {
                    store.updateSparkUiUrl(job.jobId(), status.sparkUiUrl());
                    active.refresh(job.jobId());
                }
                if (job.state() == JobState.RUNNING && status.metrics() != null && !status.metrics().equals(job.metrics())) {
                    store.updateRunningMetrics(job.jobId(), status.metrics());
                    active.refresh(job.jobId());
                }
            }
            case SUCCEEDED -> move(job, LAUNCHED, new StateUpdate(JobState.SUCCEEDED, now(), "driver exited with code 0",
                    null, null, null, status.metrics()));
            case FAILED -> move(job, LAUNCHED, new StateUpdate(JobState.FAILED, now(), "driver failed",
                    null, null, status.message(), status.metrics()));
            case LOST -> move(job, LAUNCHED, new StateUpdate(JobState.FAILED, now(), "driver lost",
                    null, null, status.message(), null));
        }
    }

    private Duration timeout(Job job) {
        Long seconds = job.request().timeoutSeconds();
        return seconds != null ? Duration.ofSeconds(seconds) : config.defaultTimeout();
    }

    /** Marks the job TIMEOUT and stops its driver, on a launcher thread: stopping waits for the processes to end. */
    private void timeOut(Job job, Duration timeout) {
        if (!launching.add(job.jobId())) {
            return;
        }
        try {
            launcher.execute(() -> {
                try {
                    String message = "the job ran longer than its timeout of " + timeout.toSeconds() + " s";
                    stop(job, new StateUpdate(JobState.TIMEOUT, now(), "timeout", null, null, message, null));
                    log.info("Job {} is TIMEOUT: {}", job.jobId(), message);
                }
                catch (PlatformException e) {
                    // it ended on its own meanwhile
                }
                catch (RuntimeException e) {
                    log.warn("Cannot stop job {} at its timeout", job.jobId(), e);
                }
                finally {
                    launching.remove(job.jobId());
                }
            });
        }
        catch (java.util.concurrent.RejectedExecutionException e) {
            launching.remove(job.jobId());
        }
    }

    private void move(Job job, Set<JobState> from, StateUpdate change) {
        if (transition(job.jobId(), from, change)) {
            log.info("Job {} is {}{}", job.jobId(), change.state(),
                    change.errorMessage() == null ? "" : ": " + change.errorMessage());
            if (change.state().isTerminal()) {
                callbacks.notify(job(job.jobId()));
            }
        }
    }

    private void launchInBackground(Job job) {
        if (launching.add(job.jobId())) {
            try {
                launcher.execute(() -> {
                    try {
                        // Read again under the guard: the caller's copy may predate a launch that just finished.
                        store.find(job.jobId()).filter(fresh -> fresh.state() == JobState.PENDING).ifPresent(this::launch);
                    }
                    finally {
                        launching.remove(job.jobId());
                    }
                });
            }
            catch (java.util.concurrent.RejectedExecutionException e) {
                launching.remove(job.jobId()); // shutting down: the next start picks the job up
            }
        }
    }

    private void launch(Job job) {
        BackendRun run;
        try {
            // A driver started just before a crash, whose start was never stored, is adopted, not started twice.
            run = gateway.find(job.executionId()).orElseGet(() -> gateway.launch(launchRequest(job)));
        }
        catch (RuntimeException e) {
            log.warn("Cannot launch job {}", job.jobId(), e);
            move(job, EnumSet.of(JobState.PENDING), new StateUpdate(JobState.FAILED, now(), "launch failed",
                    null, null, "cannot start the driver: " + e.getMessage(), null));
            return;
        }
        StateUpdate submitted = new StateUpdate(JobState.SUBMITTED, now(), "driver started on " + run.backend(),
                run, null, null, null);
        if (transition(job.jobId(), EnumSet.of(JobState.PENDING), submitted)) {
            try {
                // A warm driver runs the job at once: record that now rather than at the next poll.
                active.get(job.jobId()).ifPresent(fresh -> follow(fresh, run));
            }
            catch (RuntimeException e) {
                log.warn("Cannot check job {} after its launch; the monitor will", job.jobId(), e);
            }
        }
        else {
            JobState now = job(job.jobId()).state();
            if (now == JobState.CANCELLED) {
                log.info("Job {} was cancelled while its driver started; stopping it", job.jobId());
                gateway.cancel(run);
            }
            else {
                log.warn("Job {} became {} while its driver started; leaving the driver to the monitor", job.jobId(), now);
            }
        }
    }

    private LaunchRequest launchRequest(Job job) {
        SubmitJobRequest request = job.request();
        SparkJobConfig config = request.config();
        ResourceConfig resources = config.resources();
        DriverConfig driver = resources == null ? null : resources.driver();
        Map<String, String> sparkConf = new LinkedHashMap<>(config.sparkConfig());
        sparkConf.putAll(resourceConf(resources));
        if (job.inPlayground()) {
            sparkConf.put(PLAYGROUND_NAMESPACE_CONF, PLAYGROUND_CATALOG + "." + job.namespace());
        }
        // What the driver's wall enforces: the namespaces the job may write, and whether its SQL may reach the JVM.
        sparkConf.putAll(policy.driverConf(request.team(), job.namespace()));
        return new LaunchRequest(
                job.executionId(),
                request.name(),
                request.team(),
                job.namespace(),
                config.effectiveJobType().name(),
                config.sparkVersion(),
                application(config),
                sparkConf,
                config.envVars(),
                driver == null || driver.cores() == null ? 1 : driver.cores(),
                driver == null || driver.memory() == null ? this.config.defaultDriverMemory() : ByteSize.bytes(driver.memory()));
    }

    private static Application application(SparkJobConfig config) {
        CustomJarConfig jar = config.customJar();
        return jar != null
                ? new Application(jar.mainClass(), jar.jarPath(), jar.args(), Map.of())
                : Application.coreEtl(Json.write(config.coreEtl().jobSpec()));
    }

    /** The Spark properties that carry the job's resources; they win over the same keys in {@code spark_config}. */
    static Map<String, String> resourceConf(ResourceConfig resources) {
        Map<String, String> conf = new LinkedHashMap<>();
        if (resources == null) {
            return conf;
        }
        DriverConfig driver = resources.driver();
        if (driver != null) {
            putIfSet(conf, "spark.driver.cores", driver.cores());
            putIfSet(conf, "spark.driver.memoryOverhead", driver.memoryOverhead());
        }
        ExecutorConfig executor = resources.executor();
        if (executor != null) {
            putIfSet(conf, "spark.executor.instances", executor.instances());
            putIfSet(conf, "spark.executor.cores", executor.cores());
            putIfSet(conf, "spark.executor.memory", executor.memory());
            putIfSet(conf, "spark.executor.memoryOverhead", executor.memoryOverhead());
        }
        if (resources.dynamicAllocationEnabled()) {
            conf.put("spark.dynamicAllocation.enabled", "true");
            putIfSet(conf, "spark.dynamicAllocation.minExecutors", resources.effectiveMinExecutors());
            putIfSet(conf, "spark.dynamicAllocation.maxExecutors", resources.effectiveMaxExecutors());
        }
        return conf;
    }

    private static void putIfSet(Map<String, String> conf, String key, Object value) {
        if (value != null) {
            conf.put(key, value.toString());
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
