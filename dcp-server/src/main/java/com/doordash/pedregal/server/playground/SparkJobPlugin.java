package com.doordash.pedregal.server.playground;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.manifest.ManifestReader;
import com.doordash.pedregal.model.manifest.SparkJobManifest;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code SparkJob}: the seed README's manifest. {@code apply} registers it (in production or a playground), {@code run}
 * submits its job — in a playground with every sink redirected there — {@code test} checks its CoreETL spec, and
 * {@code delete} forgets it.
 */
final class SparkJobPlugin implements ManifestPlugin {
    private final JobManifests jobs;

    SparkJobPlugin(JobManifests jobs) {
        this.jobs = requireNonNull(jobs, "jobs is null");
    }

    @Override
    public String kind() {
        return ManifestReader.SPARK_JOB;
    }

    private SubmitJobRequest request(Command command) {
        SubmitJobRequest request = SparkJobManifest.of(command.manifest(), command.caller().user(), jobs.sparkVersions())
                .request();
        return command.playground()
                .map(playground -> PlaygroundWrites.redirect(request, command.manifest(), playground))
                .orElse(request);
    }

    @Override
    public ObjectNode plan(Command command) {
        return jobs.plan(command, JobManifests.tables(request(command)));
    }

    @Override
    public ObjectNode apply(Command command) {
        SubmitJobRequest request = request(command);
        ObjectNode plan = jobs.plan(command, JobManifests.tables(request));
        String action = plan.path("action").asText();
        jobs.saveApplied(command, JobManifests.tables(request));
        ObjectNode answer = Json.mapper().createObjectNode();
        answer.put("action", action.equals("create") ? "created" : action.equals("update") ? "updated" : "unchanged");
        answer.put("diff", plan.path("diff").asText());
        // A SparkJob's tables are created by its job's first write, not by apply.
        plan.path("tables").forEach(table -> answer.withArray("tables").addObject().put("table", table.asText())
                .put("action", "created by its first run"));
        return answer;
    }

    @Override
    public ObjectNode test(Command command) {
        return jobs.test(command, SparkJobManifest.of(command.manifest(), command.caller().user(), jobs.sparkVersions())
                .request());
    }

    @Override
    public ObjectNode run(Command command) {
        return jobs.run(command, request(command));
    }

    @Override
    public ObjectNode delete(Command command) {
        if (jobs.applied(command).isEmpty()) {
            throw new PlatformException(ErrorCode.INVALID_REQUEST, "SparkJob " + command.manifest().name() + " is not applied"
                    + JobManifests.where(command), "metadata.name");
        }
        jobs.deleteApplied(command);
        ObjectNode answer = Json.mapper().createObjectNode();
        answer.put("deleted", true);
        answer.putArray("dropped_tables");
        return answer;
    }
}
