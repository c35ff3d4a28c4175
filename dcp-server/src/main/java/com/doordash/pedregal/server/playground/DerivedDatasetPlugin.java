package com.doordash.pedregal.server.playground;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.model.manifest.DerivedDatasetManifest;
import com.doordash.pedregal.model.manifest.ManifestReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * {@code DerivedDataset}, in a playground: {@code apply} creates the dataset's table in the playground's namespace
 * from the analyzed schema of its spec (on Spark) and registers it; {@code run} runs the applied spec with its sink in
 * the playground while its sources read production; {@code test} checks the spec on the read-only test cluster (no
 * playground needed); {@code delete} drops the playground table and forgets the dataset.
 */
final class DerivedDatasetPlugin implements ManifestPlugin {
    private final JobManifests jobs;
    private final PlaygroundTables tables;

    DerivedDatasetPlugin(JobManifests jobs, PlaygroundTables tables) {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.tables = requireNonNull(tables, "tables is null");
    }

    @Override
    public String kind() {
        return ManifestReader.DERIVED_DATASET;
    }

    private DerivedDatasetManifest dataset(Command command) {
        return DerivedDatasetManifest.of(command.manifest(), command.caller().user(), jobs.sparkVersions());
    }

    /** The dataset's job with its sink in the command's playground; fails without a playground. */
    private SubmitJobRequest inPlayground(Command command, String verb) {
        Playground playground = command.playground().orElseThrow(() -> new PlatformException(ErrorCode.INVALID_REQUEST,
                "DerivedDataset " + verb + " needs a playground: give one (--playground NAME) or pick one"
                        + " (pretzel playground use NAME)", "playground"));
        return PlaygroundWrites.redirect(dataset(command).request(), command.manifest(), playground);
    }

    @Override
    public ObjectNode plan(Command command) {
        return jobs.plan(command, JobManifests.tables(inPlayground(command, "plan")));
    }

    @Override
    public ObjectNode apply(Command command) {
        SubmitJobRequest request = inPlayground(command, "apply");
        List<String> owned = JobManifests.tables(request);
        ObjectNode plan = jobs.plan(command, owned);
        String action = plan.path("action").asText();
        ObjectNode answer = Json.mapper().createObjectNode();
        JsonNode created;
        if (action.equals("unchanged")) {
            ArrayNode unchanged = Json.mapper().createArrayNode();
            owned.forEach(table -> unchanged.addObject().put("table", table).put("action", "unchanged"));
            created = unchanged;
        }
        else {
            created = tables.createTables(request.config().coreEtl().jobSpec(), request.team(),
                    request.config().sparkVersion());
        }
        jobs.saveApplied(command, owned);
        answer.put("action", action.equals("create") ? "created" : action.equals("update") ? "updated" : "unchanged");
        answer.put("diff", plan.path("diff").asText());
        answer.set("tables", created);
        return answer;
    }

    @Override
    public ObjectNode test(Command command) {
        return jobs.test(command, dataset(command).request());
    }

    @Override
    public ObjectNode run(Command command) {
        SubmitJobRequest request = inPlayground(command, "run");
        jobs.requireAppliedAsIs(command, "run it");
        return jobs.run(command, request);
    }

    @Override
    public ObjectNode delete(Command command) {
        if (command.playground().isEmpty()) {
            inPlayground(command, "delete");
        }
        AppliedManifest applied = jobs.applied(command).orElseThrow(() -> new PlatformException(ErrorCode.INVALID_REQUEST,
                "DerivedDataset " + command.manifest().name() + " is not applied" + JobManifests.where(command),
                "metadata.name"));
        List<String> dropped = tables.dropTables(applied.tables(), command.manifest().team());
        jobs.deleteApplied(command);
        ObjectNode answer = Json.mapper().createObjectNode();
        answer.put("deleted", true);
        dropped.forEach(answer.putArray("dropped_tables")::add);
        return answer;
    }
}
