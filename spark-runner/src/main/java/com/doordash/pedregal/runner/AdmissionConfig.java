package com.doordash.pedregal.runner;

import com.doordash.pedregal.model.config.ConfigProperties;

/**
 * Limits on what runs at once; 0 means no limit. Jobs over a limit wait in PENDING, in submission order and fair
 * across teams; a job that alone exceeds a limit is rejected at submit.
 *
 * @param maxRunning jobs launched and not finished, platform-wide — key {@code runner.admission.max-running}
 * @param maxCores cores asked by those jobs (drivers and executors), platform-wide — {@code runner.admission.max-cores}
 * @param maxMemory memory asked by those jobs, bytes, platform-wide — {@code runner.admission.max-memory}
 * @param teamMaxRunning the same per team — {@code runner.admission.team-max-running}
 * @param teamMaxCores the same per team — {@code runner.admission.team-max-cores}
 * @param teamMaxMemory the same per team — {@code runner.admission.team-max-memory}
 * @param namespaceMaxRunning jobs at once per namespace (a playground, or {@code default}) —
 *     {@code runner.admission.namespace-max-running}
 */
public record AdmissionConfig(int maxRunning, long maxCores, long maxMemory, int teamMaxRunning, long teamMaxCores,
        long teamMaxMemory, int namespaceMaxRunning) {
    /** No limits at all. */
    public static AdmissionConfig unlimited() {
        return new AdmissionConfig(0, 0, 0, 0, 0, 0, 0);
    }

    /** Reads the {@code runner.admission.*} keys; by default at most 8 jobs run at once and nothing else is limited. */
    public static AdmissionConfig from(ConfigProperties properties) {
        return new AdmissionConfig(
                properties.integer("runner.admission.max-running", 8, 0, 100_000),
                properties.integer("runner.admission.max-cores", 0, 0, Integer.MAX_VALUE),
                properties.bytes("runner.admission.max-memory", 0),
                properties.integer("runner.admission.team-max-running", 0, 0, 100_000),
                properties.integer("runner.admission.team-max-cores", 0, 0, Integer.MAX_VALUE),
                properties.bytes("runner.admission.team-max-memory", 0),
                properties.integer("runner.admission.namespace-max-running", 0, 0, 100_000));
    }
}
