package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.ByteSize;
import com.doordash.pedregal.model.config.ConfigProperties;
import java.time.Duration;

/**
 * How the runner drives jobs.
 *
 * @param pollInterval how often running jobs are checked — key {@code runner.poll-interval}
 * @param launchThreads how many drivers may be starting at once — {@code runner.launch-threads}
 * @param defaultDriverMemory driver heap when a job names none — {@code runner.default-driver-memory}
 * @param defaultTimeout how long a job may run when it sets no {@code timeout_seconds}; zero for no limit —
 *     {@code runner.default-timeout}
 * @param callbackMaxAttempts how often a callback is tried — {@code runner.callback.max-attempts}
 * @param callbackInitialBackoff the wait after the first failed callback, doubled after each — {@code runner.callback.initial-backoff}
 * @param admission limits on what runs at once — {@code runner.admission.*}
 */
public record RunnerConfig(Duration pollInterval, int launchThreads, long defaultDriverMemory, Duration defaultTimeout,
        int callbackMaxAttempts, Duration callbackInitialBackoff, AdmissionConfig admission) {
    public RunnerConfig {
        requireNonNull(pollInterval, "pollInterval is null");
        requireNonNull(defaultTimeout, "defaultTimeout is null");
        requireNonNull(callbackInitialBackoff, "callbackInitialBackoff is null");
        requireNonNull(admission, "admission is null");
    }

    /** Reads the {@code runner.*} keys. */
    public static RunnerConfig from(ConfigProperties properties) {
        return new RunnerConfig(
                properties.duration("runner.poll-interval", Duration.ofMillis(200)),
                properties.integer("runner.launch-threads", 4, 1, 64),
                properties.bytes("runner.default-driver-memory", ByteSize.bytes("1g")),
                properties.duration("runner.default-timeout", Duration.ZERO),
                properties.integer("runner.callback.max-attempts", 8, 1, 100),
                properties.duration("runner.callback.initial-backoff", Duration.ofSeconds(1)),
                AdmissionConfig.from(properties));
    }
}
