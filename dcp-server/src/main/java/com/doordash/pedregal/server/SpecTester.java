package com.doordash.pedregal.server;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.JobRequestValidator;
import com.doordash.pedregal.model.TestOptions;
import com.doordash.pedregal.model.TestReport;
import com.doordash.pedregal.model.TestSpecRequest;
import com.doordash.pedregal.model.auth.Caller;
import com.doordash.pedregal.model.concurrent.Daemons;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.model.error.Violation;
import com.doordash.pedregal.model.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.spark.sql.connect.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code test}: sends a CoreETL spec over Spark Connect to the shared test cluster, whose {@code dcp_analyze}
 * table function (in the CoreETL jar, on a read-only cluster) computes the validation report; nothing is written.
 * The server keeps one Spark Connect session to the cluster and opens a new one when the cluster restarted.
 */
public final class SpecTester implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpecTester.class);
    private static final String ANALYZE = "SELECT report FROM dcp_analyze(:spec, :options)";
    /** Why {@code test} cannot run while the cluster is starting or restarting. */
    static final String RESTARTING = "the test cluster is starting or restarting; retry in a few seconds";

    private final ExecutorService calls = Executors.newCachedThreadPool(Daemons.named("dcp-spec-tester"));
    /** Closes dropped sessions: the client retries a vanished cluster for minutes, and nobody waits for that. */
    private final ExecutorService closer = Executors.newSingleThreadExecutor(Daemons.named("dcp-spec-tester-close"));
    private final Supplier<Optional<String>> connection;
    private final String unavailable;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final Duration callTimeout;
    // Guarded by this; never held across a call to the cluster.
    private SparkSession session;
    private String sessionConnection;

    /**
     * A tester reaching the cluster through {@code connection} (a Spark Connect connection string, empty while the
     * cluster is not up; it may hold a secret and is never logged); {@code unavailable} says why when it is empty.
     * At most {@code maxInFlight} calls wait on the cluster at once, each at most {@code callTimeout}.
     */
    SpecTester(Supplier<Optional<String>> connection, String unavailable, int maxInFlight, Duration callTimeout) {
        this.connection = requireNonNull(connection, "connection is null");
        this.unavailable = requireNonNull(unavailable, "unavailable is null");
        this.callTimeout = requireNonNull(callTimeout, "callTimeout is null");
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
    }

    /** Tests the spec of {@code request} for {@code caller}; returns the report, with the end-to-end time added. */
    public TestReport test(TestSpecRequest request, Caller caller) {
        long started = System.nanoTime();
        if (request.jobSpec() == null) {
            throw new InvalidRequestException("job_spec", "missing (the CoreETL spec to test)");
        }
        List<Violation> violations = JobRequestValidator.validateSpec(request.jobSpec(), "job_spec.");
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        // Bad options are the caller's mistake: a 400 naming the option, not a FAILED report.
        TestOptions.parse(request.options());
        if (request.team() != null) {
            caller.checkTeam(request.team(), "team");
        }
        if (!inFlight.tryAcquire()) {
            throw new PlatformException(ErrorCode.UNAVAILABLE, maxInFlight + " tests are already waiting on the test cluster;"
                    + " retry in a few seconds");
        }
        String report;
        try {
            report = analyze(Json.write(request.jobSpec()), Json.write(request.options()));
        }
        finally {
            inFlight.release();
        }
        TestReport typed;
        try {
            typed = Json.read(report, TestReport.class);
        }
        catch (InvalidRequestException e) {
            throw new PlatformException(ErrorCode.INTERNAL, "the test cluster answered a report the server cannot read: "
                    + e.getMessage());
        }
        // A step the cluster's read-only guard refused (a write, a path or data source, reflection, a script) is not a
        // finding about the spec but a request the platform does not serve: 403 naming the step.
        typed.refusal().ifPresent(refused -> {
            throw new PlatformException(ErrorCode.PERMISSION_DENIED, refused.message(), refused.transformation() != null
                    ? "job_spec.transformations[" + refused.transformation() + "].query" : "job_spec");
        });
        return typed.withEndToEnd((System.nanoTime() - started) / 1_000_000);
    }

    /** Opens the session to the cluster ahead of the first request, so that it does not pay for it. */
    void warmUp() {
        try {
            analyzeOnce("{\"sources\": [], \"sinks\": []}", "{}", System.nanoTime() + callTimeout.toNanos());
        }
        catch (RuntimeException e) {
            log.debug("Warm-up of the test cluster session failed: {}", e.toString());
        }
    }

    private String analyze(String spec, String options) {
        long deadline = System.nanoTime() + callTimeout.toNanos();
        try {
            return analyzeOnce(spec, options, deadline);
        }
        catch (ClusterUnavailableException first) {
            // A restarted cluster forgot our session: one more try on a new session, within the same deadline.
            try {
                return analyzeOnce(spec, options, deadline);
            }
            catch (ClusterUnavailableException second) {
                throw new PlatformException(ErrorCode.UNAVAILABLE, unavailable);
            }
        }
    }

    private String analyzeOnce(String spec, String options, long deadline) {
        String where = connection.get().orElseThrow(() -> new PlatformException(ErrorCode.UNAVAILABLE, unavailable));
        // Opening the session is a call to the cluster too: it runs under the deadline like the query.
        AtomicReference<SparkSession> used = new AtomicReference<>();
        // The client retries a vanished server for minutes: watch the cluster meanwhile, and give up when it went away.
        Future<String> call = calls.submit(() -> {
            SparkSession spark = session(where);
            used.set(spark);
            return spark.sql(ANALYZE, Map.<String, Object>of("spec", spec, "options", options)).collectAsList().get(0).getString(0);
        });
        try {
            while (true) {
                try {
                    return call.get(100, TimeUnit.MILLISECONDS);
                }
                catch (TimeoutException e) {
                    if (!connection.get().map(where::equals).orElse(false)) {
                        call.cancel(true);
                        drop(used.get());
                        throw new ClusterUnavailableException();
                    }
                    if (System.nanoTime() > deadline) {
                        call.cancel(true);
                        drop(used.get());
                        throw new PlatformException(ErrorCode.UNAVAILABLE, "the test cluster did not answer within "
                                + callTimeout.toSeconds() + " s (test-cluster.call-timeout); retry in a few seconds");
                    }
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throw new PlatformException(ErrorCode.UNAVAILABLE, "interrupted while the test cluster analyzed the spec");
        }
        catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (isConnectionProblem(cause)) {
                log.info("The test cluster did not answer ({}); dropping the session", firstLine(cause));
                drop(used.get());
                throw new ClusterUnavailableException();
            }
            throw new PlatformException(ErrorCode.INTERNAL, "the test cluster could not analyze the spec: " + firstLine(cause));
        }
    }

    /** The session to the cluster at {@code where}, opened when there is none (outside the lock: it may block). */
    private SparkSession session(String where) {
        synchronized (this) {
            if (session != null && where.equals(sessionConnection)) {
                return session;
            }
        }
        SparkSession opened = SparkSession.builder().remote(where).create();
        SparkSession stale;
        SparkSession current;
        synchronized (this) {
            if (session != null && where.equals(sessionConnection)) {
                stale = opened; // another call opened one meanwhile
            }
            else {
                stale = session;
                session = opened;
                sessionConnection = where;
            }
            current = session;
        }
        closeInBackground(stale);
        return current;
    }

    /** Forgets {@code spark} (when it is still the session) and closes it in the background. */
    private void drop(SparkSession spark) {
        if (spark == null) {
            return;
        }
        synchronized (this) {
            if (session == spark) {
                session = null;
                sessionConnection = null;
            }
        }
        closeInBackground(spark);
    }

    private void closeInBackground(SparkSession spark) {
        if (spark != null) {
            try {
                closer.execute(() -> closeQuietly(spark));
            }
            catch (java.util.concurrent.RejectedExecutionException e) {
                // closing: the JVM's end closes the channel
            }
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
        SparkSession last;
        synchronized (this) {
            last = session;
            session = null;
        }
        closeInBackground(last);
        closer.shutdown();
    }


    private static void closeQuietly(SparkSession spark) {
        try {
            spark.close();
        }
        catch (RuntimeException e) {
            log.debug("Closing a Spark Connect session failed: {}", e.toString());
        }
    }

    /** Whether {@code e} says the cluster is gone or forgot the session, rather than that the analysis failed. */
    static boolean isConnectionProblem(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String text = cause.getClass().getName() + ": " + cause.getMessage();
            if (text.contains("UNAVAILABLE") || text.contains("INVALID_HANDLE") || text.contains("Connection refused")
                    || text.contains("SESSION_CHANGED") || text.contains("SESSION_CLOSED")) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /** The cluster did not answer: retried once on a new session, then 503. */
    private static final class ClusterUnavailableException extends RuntimeException {
        ClusterUnavailableException() {
            super(null, null, false, false);
        }
    }
}
