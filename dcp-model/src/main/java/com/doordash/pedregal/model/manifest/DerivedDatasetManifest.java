package com.doordash.pedregal.model.manifest;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.spec.SinkSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@code DerivedDataset} manifest: a named dataset, owned by {@code metadata.team}, built by a CoreETL spec into
 * its table: {@code spec{engine.version, table: catalog.database.table, coreEtl{version, jobSpec}, resources,
 * sparkConfig, timeoutSeconds}}. The job spec's {@code sinks} may be left out: the dataset then has one sink that
 * overwrites {@code spec.table}; when given, it must be exactly that one table.
 *
 * @param manifest the file it was read from
 * @param request the batch job that builds the dataset into its production table
 * @param table the dataset's table
 */
public record DerivedDatasetManifest(Manifest manifest, SubmitJobRequest request, SinkSpec table) {
    /** The fields of a DerivedDataset's spec. */
    public static final Set<String> SPEC_FIELDS = Set.of("engine", "table", "coreEtl", "resources", "sparkConfig",
            "timeoutSeconds");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public DerivedDatasetManifest {
        requireNonNull(manifest, "manifest is null");
        requireNonNull(request, "request is null");
        requireNonNull(table, "table is null");
    }

    /** Checks {@code manifest} (kind DerivedDataset) as run by {@code user}; fails naming lines and fields. */
    public static DerivedDatasetManifest of(Manifest manifest, String user, Set<String> sparkVersions) {
        List<ManifestException.Problem> problems = new ArrayList<>();
        SinkSpec table = table(manifest, problems);
        JsonNode coreEtl = manifest.spec().get("coreEtl");
        if (coreEtl == null || coreEtl.isNull()) {
            problems.add(manifest.problem("spec.coreEtl", "is required (version and jobSpec)"));
            ManifestReader.unknownFields(manifest, manifest.spec(), "spec.", SPEC_FIELDS, problems);
            Manifest.check(problems);
        }
        SubmitJobRequest request = ManifestJobs.request(manifest, user, SPEC_FIELDS, sparkVersions, tree -> {
            JsonNode jobSpec = tree.path("config").path("core_etl").path("job_spec");
            if (table != null && jobSpec.isObject() && !jobSpec.has("sinks")) {
                ObjectNode sink = ((ObjectNode) jobSpec).putArray("sinks").addObject();
                sink.put("type", "iceberg");
                sink.put("catalog", table.catalog());
                sink.put("database", table.database());
                sink.put("table", table.table());
                sink.put("mode", "overwrite");
            }
        }, problems);
        if (request != null && table != null && request.config().coreEtl() != null) {
            List<SinkSpec> sinks = request.config().coreEtl().jobSpec().sinks();
            boolean writesItsTable = sinks.size() == 1 && sinks.get(0).qualifiedName().equals(table.qualifiedName());
            if (!writesItsTable) {
                problems.add(manifest.problem("spec.coreEtl.jobSpec.sinks", "a DerivedDataset writes exactly its table "
                        + table.qualifiedName() + " (leave sinks out, or give that one sink); found "
                        + sinks.stream().map(SinkSpec::qualifiedName).toList()));
            }
        }
        Manifest.check(problems);
        return new DerivedDatasetManifest(manifest, request, request.config().coreEtl().jobSpec().sinks().get(0));
    }

    private static SinkSpec table(Manifest manifest, List<ManifestException.Problem> problems) {
        String value = ManifestReader.requiredText(manifest, manifest.spec(), "spec.table", problems);
        if (value == null) {
            return null;
        }
        String[] parts = value.split("\\.", -1);
        if (parts.length != 3 || !List.of(parts).stream().allMatch(part -> IDENTIFIER.matcher(part).matches())) {
            problems.add(manifest.problem("spec.table", ManifestReader.quote(value)
                    + " is not a table name like pedregal.derived.order_counts (catalog.database.table)"));
            return null;
        }
        return new SinkSpec("iceberg", parts[0], parts[1], parts[2], null, List.of());
    }

    /** The dataset's name. */
    public String name() {
        return manifest.name();
    }
}
