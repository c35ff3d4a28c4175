package com.doordash.pedregal.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server's answer to a manifest command: the resource's kind and name, the playground, and the rest of the
 * answer in {@link #json()} — for {@code plan} and {@code apply} the {@code action}, {@code diff} and
 * {@code tables}; for {@code test} the {@link #report()}; for {@code run} the {@link #jobId()} and
 * {@code tables}; for {@code delete} {@code dropped_tables}.
 *
 * @param playground the playground acted in; null when there was none
 * @param json the answer as it came (a copy is returned)
 */
public record ManifestResult(ManifestCommand command, String kind, String name, String playground, JsonNode json) {
    public ManifestResult {
        requireNonNull(command, "command is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        json = requireNonNull(json, "json is null").deepCopy();
    }

    /** The job a {@code run} started; follow it with {@link DCPSparkClient#getJob(String)}. */
    public Optional<String> jobId() {
        JsonNode id = json.path("job_id");
        return id.isTextual() ? Optional.of(id.textValue()) : Optional.empty();
    }

    /** What {@code plan} or {@code apply} did or would do, such as {@code create} or {@code updated}; empty otherwise. */
    public Optional<String> action() {
        JsonNode action = json.path("action");
        return action.isTextual() ? Optional.of(action.textValue()) : Optional.empty();
    }

    /** The tables the resource writes, fully qualified ({@code pedregal.pg_x.t}): of {@code tables} or {@code dropped_tables}. */
    public List<String> tables() {
        List<String> tables = new ArrayList<>();
        JsonNode listed = json.has("tables") ? json.path("tables") : json.path("dropped_tables");
        for (JsonNode table : listed) {
            if (table.isTextual()) {
                tables.add(table.textValue());
            }
            else if (table.path("table").isTextual()) {
                tables.add(table.path("table").textValue());
            }
        }
        return List.copyOf(tables);
    }

    /** The report of a {@code test}. */
    public Optional<TestReport> report() {
        JsonNode report = json.path("report");
        return report.isObject() ? Optional.of(new TestReport(report.path("status").asText(""), report)) : Optional.empty();
    }

    /** The answer as it came. */
    @Override
    public JsonNode json() {
        return json.deepCopy();
    }
}
