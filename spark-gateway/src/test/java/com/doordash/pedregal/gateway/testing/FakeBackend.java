package com.doordash.pedregal.gateway.testing;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.BackendCapabilities;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.RunState;
import com.doordash.pedregal.gateway.RunStatus;
import com.doordash.pedregal.gateway.SparkBackend;
import com.doordash.pedregal.model.JobMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A backend without Spark, whose runs a test drives: a launched run stays STARTING until the test says it runs, exits,
 * vanishes — or never does anything (a hang). For the runner's state machine in milliseconds; the real backends are
 * tested on real Spark. A hand-written fake of the {@link SparkBackend} SPI, not of anything that runs here.
 */
public final class FakeBackend implements SparkBackend {
    private final String name;
    private final BackendCapabilities capabilities;
    private final Map<String, FakeRun> runs = new ConcurrentHashMap<>();
    private final AtomicInteger launches = new AtomicInteger();
    private final AtomicReference<CountDownLatch> launchGate = new AtomicReference<>();
    private final AtomicReference<CountDownLatch> launchHeld = new AtomicReference<>(new CountDownLatch(1));
    private final AtomicReference<RuntimeException> launchFailure = new AtomicReference<>();

    /** A backend named {@code name} running runtime {@code 3.5}, granting up to 8 cores and 8 GiB to a driver. */
    public FakeBackend(String name) {
        this(name, new BackendCapabilities(Set.of("3.5"), 8, 8L << 30, 8, 8L << 30, 16));
    }

    public FakeBackend(String name, BackendCapabilities capabilities) {
        this.name = requireNonNull(name, "name is null");
        this.capabilities = requireNonNull(capabilities, "capabilities is null");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public BackendCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public BackendRun launch(LaunchRequest request) {
        CountDownLatch gate = launchGate.get();
        if (gate != null) {
            launchHeld.get().countDown();
            try {
                gate.await(30, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        RuntimeException failure = launchFailure.getAndSet(null);
        if (failure != null) {
            throw failure;
        }
        launches.incrementAndGet();
        FakeRun run = new FakeRun(new BackendRun(name, request.executionId(), "fake-" + request.executionId()), request);
        runs.put(request.executionId(), run);
        return run.run;
    }

    @Override
    public RunStatus status(BackendRun run) {
        FakeRun fake = runs.get(run.executionId());
        return fake == null ? new RunStatus(RunState.LOST, null, "no such run") : fake.status.get();
    }

    @Override
    public void cancel(BackendRun run) {
        FakeRun fake = runs.get(run.executionId());
        if (fake != null) {
            fake.cancelled.countDown();
            fake.status.set(new RunStatus(RunState.FAILED, null, "cancelled"));
        }
    }

    @Override
    public String logs(BackendRun run, OptionalInt tailLines) {
        return "log of " + run.executionId() + "\n";
    }

    @Override
    public Optional<BackendRun> find(String executionId) {
        return Optional.ofNullable(runs.get(executionId)).map(fake -> fake.run);
    }

    /** How many drivers were started (adopted ones not counted). */
    public int launches() {
        return launches.get();
    }

    /** Launches wait until {@link #openLaunches()} (a slow start). */
    public void holdLaunches() {
        launchGate.set(new CountDownLatch(1));
    }

    /** Waits up to {@code timeout} until a launch is held by {@link #holdLaunches()}; whether one is. */
    public boolean awaitHeldLaunch(Duration timeout) throws InterruptedException {
        return launchHeld.get().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets held launches go on. */
    public void openLaunches() {
        CountDownLatch gate = launchGate.getAndSet(null);
        if (gate != null) {
            gate.countDown();
        }
    }

    /** The next launch fails with {@code failure}. */
    public void failNextLaunch(RuntimeException failure) {
        launchFailure.set(requireNonNull(failure, "failure is null"));
    }

    /** A driver that was started before a crash of the platform, whose start the platform never recorded. */
    public FakeRun startedUnrecorded(LaunchRequest request) {
        FakeRun run = new FakeRun(new BackendRun(name, request.executionId(), "fake-" + request.executionId()), request);
        runs.put(request.executionId(), run);
        return run;
    }

    /** The run of {@code executionId}, waiting up to {@code timeout} for its launch. */
    public FakeRun awaitRun(String executionId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            FakeRun run = runs.get(executionId);
            if (run != null) {
                return run;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("execution " + executionId + " was not launched within " + timeout);
    }

    /** The runs started so far, by execution id. */
    public Map<String, FakeRun> runs() {
        return Map.copyOf(runs);
    }

    /** One driver of the fake backend, moved by the test. */
    public final class FakeRun {
        private final BackendRun run;
        private final LaunchRequest request;
        private final AtomicReference<RunStatus> status = new AtomicReference<>(new RunStatus(RunState.STARTING, null, null));
        private final CountDownLatch cancelled = new CountDownLatch(1);

        FakeRun(BackendRun run, LaunchRequest request) {
            this.run = run;
            this.request = request;
        }

        /** What the backend was asked to start. */
        public LaunchRequest request() {
            return request;
        }

        /** The Spark application came up. */
        public void running(String uiUrl) {
            status.set(new RunStatus(RunState.RUNNING, uiUrl, null));
        }

        /** The driver exited with {@code code}; a non-zero code with {@code message}. */
        public void exit(int code, String message, JobMetrics metrics) {
            status.set(code == 0 ? new RunStatus(RunState.SUCCEEDED, null, null, metrics)
                    : new RunStatus(RunState.FAILED, null, message, metrics));
        }

        /** The driver is gone without a trace (killed from outside, the machine restarted). */
        public void vanish() {
            runs.remove(run.executionId());
        }

        /** Whether the platform stopped it. */
        public boolean wasCancelled() {
            return cancelled.getCount() == 0;
        }

        /** Waits up to {@code timeout} for the platform to stop it; whether it did. */
        public boolean awaitCancel(Duration timeout) throws InterruptedException {
            return cancelled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public String toString() {
        return "FakeBackend[" + name + ", runs " + List.copyOf(runs.keySet()) + "]";
    }
}
