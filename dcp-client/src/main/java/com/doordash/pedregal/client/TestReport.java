package com.doordash.pedregal.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The report of a {@code test}: {@code status} ({@code PASSED}, or {@code FAILED} when a finding is an error), and in
 * {@link #json()} the sections {@code findings}, {@code schemas}, {@code explain}, {@code lineage}, {@code preview},
 * {@code schema_diff}, {@code cost} and {@code timings_ms} as the server wrote them.
 *
 * @param status {@code PASSED} or {@code FAILED} (or a status a newer server reports)
 * @param json the report as it came (a copy is returned)
 */
public record TestReport(String status, JsonNode json) {
    public TestReport {
        requireNonNull(status, "status is null");
        json = requireNonNull(json, "json is null").deepCopy();
    }

    /** Whether the spec passed: no finding is an error. */
    public boolean passed() {
        return "PASSED".equals(status);
    }

    /** The report as it came. */
    @Override
    public JsonNode json() {
        return json.deepCopy();
    }
}
