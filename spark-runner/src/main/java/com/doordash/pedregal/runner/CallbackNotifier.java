package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.concurrent.Daemons;
import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.runner.policy.CallbackTargets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs a job's final status (JSON) to its {@code callback_url}, on threads of its own so the runner never
 * waits on a slow receiver. Failed attempts (no answer, or a status other than 2xx) are retried with
 * exponential backoff; delivery is recorded in the store, so undelivered callbacks are sent again after a
 * restart.
 */
final class CallbackNotifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CallbackNotifier.class);

    private final JdbcJobStore store;
    private final Function<Job, Object> statusView;
    private final RunnerConfig config;
    private final Clock clock;
    private final HttpClient http;
    private final ScheduledExecutorService executor;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final CallbackTargets targets;

    CallbackNotifier(JdbcJobStore store, Function<Job, Object> statusView, RunnerConfig config, Clock clock,
            CallbackTargets targets) {
        this.targets = requireNonNull(targets, "targets is null");
        this.store = requireNonNull(store, "store is null");
        this.statusView = requireNonNull(statusView, "statusView is null");
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        // Never follow a redirect: it could lead where the policy does not let a callback go.
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.executor = Executors.newScheduledThreadPool(2, Daemons.named("dcp-callbacks"));
    }

    /** Starts delivering the final status of {@code job}, unless a delivery of it is already under way. */
    void notify(Job job) {
        if (job.request().callbackUrl() != null && job.callbackDeliveredAt() == null && inFlight.add(job.jobId())) {
            schedule(job.jobId(), 1, Duration.ZERO);
        }
    }

    private void schedule(String jobId, int attempt, Duration delay) {
        try {
            executor.schedule(() -> attempt(jobId, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (java.util.concurrent.RejectedExecutionException e) {
            inFlight.remove(jobId); // shutting down: the next start sends it
        }
    }

    private void attempt(String jobId, int attempt) {
        Job job = store.find(jobId).orElse(null);
        if (job == null || job.callbackDeliveredAt() != null) {
            inFlight.remove(jobId);
            return;
        }
        String url = job.request().callbackUrl();
        // Checked again now: the host may resolve elsewhere than at submit, or the policy changed since.
        java.util.Optional<String> refused = targets.refusal(url, true);
        if (refused.isPresent()) {
            inFlight.remove(jobId);
            log.warn("Not delivering the callback of job {}: callback_url {}", jobId, refused.get());
            return;
        }
        String failure;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "dcp-spark-platform")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(statusView.apply(job))))
                    .build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
                store.markCallbackDelivered(jobId, clock.instant());
                inFlight.remove(jobId);
                log.info("Delivered the final status of job {} to its callback (attempt {})", jobId, attempt);
                return;
            }
            failure = "HTTP " + status;
        }
        catch (java.io.IOException | IllegalArgumentException e) {
            failure = e.toString();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            inFlight.remove(jobId);
            return;
        }
        if (attempt >= config.callbackMaxAttempts()) {
            inFlight.remove(jobId);
            log.warn("Giving up on the callback of job {} after {} attempts: {}", jobId, attempt, failure);
            return;
        }
        Duration backoff = config.callbackInitialBackoff().multipliedBy(1L << Math.min(attempt - 1, 10));
        log.info("Callback of job {} failed ({}); attempt {} in {} ms", jobId, failure, attempt + 1, backoff.toMillis());
        schedule(jobId, attempt + 1, backoff);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
