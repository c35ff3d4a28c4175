package com.doordash.pedregal.model.manifest;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.SubmitJobRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@code SparkJob} manifest (the seed README's {@code dcp-example/manifest.yaml}): {@code metadata{name, team}} and
 * {@code spec{engine.version, jobType, coreEtl{version, jobSpec} | customJar{jarPath, mainClass, args}, resources,
 * sparkConfig, envVars, timeoutSeconds}}, fields as in the REST request in camelCase.
 *
 * @param manifest the file it was read from
 * @param request the submit request it stands for, on behalf of the user who applies it
 */
public record SparkJobManifest(Manifest manifest, SubmitJobRequest request) {
    /** The fields of a SparkJob's spec. */
    public static final Set<String> SPEC_FIELDS = Set.of("engine", "jobType", "coreEtl", "customJar", "resources",
            "sparkConfig", "envVars", "timeoutSeconds");

    public SparkJobManifest {
        requireNonNull(manifest, "manifest is null");
        requireNonNull(request, "request is null");
    }

    /** Checks {@code manifest} (kind SparkJob) as a job submitted by {@code user}; fails naming lines and fields. */
    public static SparkJobManifest of(Manifest manifest, String user, Set<String> sparkVersions) {
        List<ManifestException.Problem> problems = new ArrayList<>();
        SubmitJobRequest request = ManifestJobs.request(manifest, user, SPEC_FIELDS, sparkVersions, tree -> {
        }, problems);
        Manifest.check(problems);
        return new SparkJobManifest(manifest, request);
    }
}
