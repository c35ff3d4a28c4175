package com.doordash.pedregal.server.playground;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.TestSpecRequest;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.model.spec.SinkSpec;
import com.doordash.pedregal.runner.Job;
import com.doordash.pedregal.runner.JobRunner;
import com.doordash.pedregal.runner.Submission;
import com.doordash.pedregal.server.SpecTester;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What the SparkJob and DerivedDataset plugins share: plan diffs, applied manifests, tests and runs of their job. */
final class JobManifests {
    private final PlaygroundStore store;
    private final JobRunner runner;
    private final SpecTester tester;
    private final Set<String> sparkVersions;
    private final Clock clock;

    JobManifests(PlaygroundStore store, JobRunner runner, SpecTester tester, Set<String> sparkVersions, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.tester = requireNonNull(tester, "tester is null");
        this.sparkVersions = Set.copyOf(sparkVersions);
        this.clock = requireNonNull(clock, "clock is null");
    }

    Set<String> sparkVersions() {
        return sparkVersions;
    }

    Optional<AppliedManifest> applied(ManifestPlugin.Command command) {
        return store.findApplied(command.scope(), command.manifest().kind(), command.manifest().name());
    }

    /** {@code action} (create, update, unchanged) and {@code diff} of applying the command's manifest. */
    ObjectNode plan(ManifestPlugin.Command command, List<String> tables) {
        Optional<AppliedManifest> applied = applied(command);
        String yaml = command.manifest().canonicalYaml();
        ObjectNode answer = Json.mapper().createObjectNode();
        String diff = LineDiff.unified(applied.map(AppliedManifest::yaml).orElse(""), yaml,
                applied.map(a -> "applied (" + a.appliedAt() + " by " + a.appliedBy() + ")").orElse("(nothing applied)"),
                command.manifest().file());
        answer.put("action", applied.isEmpty() ? "create" : diff.isEmpty() ? "unchanged" : "update");
        answer.put("diff", diff);
        tables.forEach(answer.putArray("tables")::add);
        return answer;
    }

    /** Stores the command's manifest as applied, owning {@code tables}. */
    void saveApplied(ManifestPlugin.Command command, List<String> tables) {
        store.saveApplied(new AppliedManifest(command.scope(), command.manifest().kind(), command.manifest().name(),
                command.manifest().team(), command.manifest().canonicalYaml(), tables, command.caller().user(),
                clock.instant().truncatedTo(ChronoUnit.MILLIS)));
    }

    void deleteApplied(ManifestPlugin.Command command) {
        store.deleteApplied(command.scope(), command.manifest().kind(), command.manifest().name());
    }

    /** The test report of {@code request}'s CoreETL spec. */
    ObjectNode test(ManifestPlugin.Command command, SubmitJobRequest request) {
        if (request.config().coreEtl() == null) {
            throw new PlatformException(ErrorCode.INVALID_REQUEST, "test checks CoreETL specs; this manifest runs a custom"
                    + " jar", "spec.customJar");
        }
        ObjectNode answer = Json.mapper().createObjectNode();
        answer.set("report", Json.mapper().valueToTree(tester.test(new TestSpecRequest(request.team(),
                request.config().coreEtl().jobSpec(), command.options()), command.caller())));
        return answer;
    }

    /** Submits {@code request} (in the command's playground, if any) and answers with the job's ids and tables. */
    ObjectNode run(ManifestPlugin.Command command, SubmitJobRequest request) {
        Submission submission = command.playground()
                .map(playground -> runner.submit(request, command.caller(), playground.namespace()))
                .orElseGet(() -> runner.submit(request, command.caller()));
        Job job = submission.job();
        ObjectNode answer = Json.mapper().createObjectNode();
        answer.put("job_id", job.jobId());
        answer.put("execution_id", job.executionId());
        answer.put("status", job.state().name());
        tables(request).forEach(answer.putArray("tables")::add);
        return answer;
    }

    /** The tables {@code request}'s CoreETL sinks write. */
    static List<String> tables(SubmitJobRequest request) {
        return request.config().coreEtl() == null
                ? List.of()
                : request.config().coreEtl().jobSpec().sinks().stream().map(SinkSpec::qualifiedName).distinct().toList();
    }

    /** Fails unless the command's manifest is applied as it is now. */
    AppliedManifest requireAppliedAsIs(ManifestPlugin.Command command, String what) {
        AppliedManifest applied = applied(command).orElseThrow(() -> new PlatformException(ErrorCode.INVALID_REQUEST,
                command.manifest().file() + " (" + command.manifest().kind() + " " + command.manifest().name()
                        + ") is not applied" + where(command) + "; apply it first (pretzel derived-dataset apply "
                        + command.manifest().file() + ")", "manifest"));
        if (!applied.yaml().equals(command.manifest().canonicalYaml())) {
            throw new PlatformException(ErrorCode.INVALID_REQUEST, command.manifest().file() + " differs from what is applied"
                    + where(command) + " (see pretzel derived-dataset plan " + command.manifest().file() + "); apply it before"
                    + " you " + what, "manifest");
        }
        return applied;
    }

    static String where(ManifestPlugin.Command command) {
        return command.playground().map(p -> " in playground " + p.name()).orElse(" in production");
    }
}
