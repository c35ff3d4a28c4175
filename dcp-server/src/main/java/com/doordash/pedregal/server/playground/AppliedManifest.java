package com.doordash.pedregal.server.playground;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A manifest as applied: what {@code plan} compares a file against and what {@code run} of a DerivedDataset runs.
 *
 * @param scope the playground's id, or {@link #PRODUCTION}
 * @param kind the manifest's kind
 * @param name {@code metadata.name}
 * @param team {@code metadata.team}
 * @param yaml the manifest in canonical YAML
 * @param tables the tables it owns in its scope, {@code catalog.database.table}
 * @param appliedBy who applied it
 * @param appliedAt when
 */
public record AppliedManifest(String scope, String kind, String name, String team, String yaml, List<String> tables,
        String appliedBy, Instant appliedAt) {
    /** The scope of manifests applied outside playgrounds. */
    public static final String PRODUCTION = "";

    public AppliedManifest {
        requireNonNull(scope, "scope is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        requireNonNull(team, "team is null");
        requireNonNull(yaml, "yaml is null");
        tables = List.copyOf(tables);
        requireNonNull(appliedBy, "appliedBy is null");
        requireNonNull(appliedAt, "appliedAt is null");
    }
}
