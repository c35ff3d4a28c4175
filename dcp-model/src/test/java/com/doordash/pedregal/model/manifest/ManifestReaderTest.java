package com.doordash.pedregal.model.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.model.JobType;
import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.spec.SinkMode;
import com.doordash.pedregal.model.spec.SinkSpec;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ManifestReaderTest {
    private static final Set<String> VERSIONS = Set.of("3.5", "4.0");

    /** The seed README's dcp-example/manifest.yaml, as printed. */
    static final String SEED_SPARK_JOB = """
            # dcp-example/manifest.yaml
            apiVersion: dcp.pedregal.doordash.com/v1
            kind: SparkJob
            metadata:
              name: example-data-transform
              team: data-infra
            spec:
              engine:
                version: "3.5"
              jobType: batch
              coreEtl:
                version: "2.7.0"
                jobSpec:
                  sources:
                    - type: iceberg
                      catalog: pedregal
                      database: raw
                      table: events
                  transformations:
                    - type: sql
                      query: "SELECT * FROM source"
                  sinks:
                    - type: iceberg
                      catalog: pedregal
                      database: derived
                      table: processed_events
            """;

    static final String DERIVED_DATASET = """
            apiVersion: dcp.pedregal.doordash.com/v1
            kind: DerivedDataset
            metadata:
              name: order-counts
              team: data-infra
            spec:
              engine:
                version: "3.5"
              table: pedregal.derived.order_counts
              coreEtl:
                version: "2.7.0"
                jobSpec:
                  sources:
                    - {type: iceberg, catalog: pedregal, database: raw, table: events}
                  transformations:
                    - type: sql
                      query: SELECT event_type, count(*) AS events FROM source GROUP BY event_type
            """;

    @Test
    void seedSparkJobManifestBecomesTheSubmitRequestItStandsFor() {
        SparkJobManifest job = SparkJobManifest.of(ManifestReader.read(SEED_SPARK_JOB, "manifest.yaml"), "user@doordash.com", VERSIONS);

        SubmitJobRequest request = job.request();
        assertThat(request.name()).isEqualTo("example-data-transform");
        assertThat(request.team()).isEqualTo("data-infra");
        assertThat(request.user()).isEqualTo("user@doordash.com");
        assertThat(request.config().sparkVersion()).isEqualTo("3.5");
        assertThat(request.config().jobType()).isEqualTo(JobType.BATCH);
        assertThat(request.config().coreEtl().version()).isEqualTo("2.7.0");
        assertThat(request.config().coreEtl().jobSpec().sinks()).extracting(SinkSpec::qualifiedName)
                .containsExactly("pedregal.derived.processed_events");
    }

    @Test
    void theSameManifestInJsonIsAccepted() {
        String json = """
                {"apiVersion": "dcp.pedregal.doordash.com/v1", "kind": "SparkJob",
                 "metadata": {"name": "example-data-transform", "team": "data-infra"},
                 "spec": {"engine": {"version": "3.5"}, "jobType": "batch",
                          "coreEtl": {"version": "2.7.0", "jobSpec": {
                             "sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
                             "transformations": [{"type": "sql", "query": "SELECT * FROM source"}],
                             "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "processed_events"}]}}}}
                """;

        SubmitJobRequest fromJson = SparkJobManifest.of(ManifestReader.read(json, "manifest.json"), "u", VERSIONS).request();
        SubmitJobRequest fromYaml = SparkJobManifest.of(ManifestReader.read(SEED_SPARK_JOB, "manifest.yaml"), "u", VERSIONS).request();

        assertThat(fromJson).isEqualTo(fromYaml);
    }

    @Test
    void wrongKindIsReportedAtItsLine() {
        String text = SEED_SPARK_JOB.replace("kind: SparkJob", "kind: SparkJobs");

        assertThatThrownBy(() -> ManifestReader.read(text, "B.yaml"))
                .isInstanceOfSatisfying(ManifestException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MANIFEST);
                    assertThat(e.getMessage()).isEqualTo("B.yaml:3:1: kind: \"SparkJobs\" is not a known kind"
                            + " (expected one of: DerivedDataset, SparkJob)");
                    assertThat(e.field()).contains("kind");
                });
    }

    @Test
    void wrongApiVersionIsReportedAtItsLine() {
        String text = SEED_SPARK_JOB.replace("doordash.com/v1", "doordash.com/v2");

        assertThatThrownBy(() -> ManifestReader.read(text, "B.yaml"))
                .hasMessage("B.yaml:2:1: apiVersion: \"dcp.pedregal.doordash.com/v2\" is not supported"
                        + " (expected dcp.pedregal.doordash.com/v1)");
    }

    @Test
    void missingFieldIsReportedAtItsParentsLine() {
        String noTeam = SEED_SPARK_JOB.replace("  team: data-infra\n", "");
        assertThatThrownBy(() -> ManifestReader.read(noTeam, "B.yaml"))
                .hasMessage("B.yaml:4:1: metadata.team: is required");

        String noTable = SEED_SPARK_JOB.replace("          table: events\n", "");
        assertThatThrownBy(() -> SparkJobManifest.of(ManifestReader.read(noTable, "B.yaml"), "u", VERSIONS))
                .isInstanceOfSatisfying(ManifestException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("B.yaml:15:11: spec.coreEtl.jobSpec.sources[0].table: is required");
                    assertThat(e.problems()).singleElement().satisfies(problem -> {
                        assertThat(problem.line()).isEqualTo(15);
                        assertThat(problem.field()).isEqualTo("spec.coreEtl.jobSpec.sources[0].table");
                    });
                });
    }

    @Test
    void badYamlIsReportedAtTheLineItBreaks() {
        String text = SEED_SPARK_JOB.replace("  name: example-data-transform", "  name: [example");

        assertThatThrownBy(() -> ManifestReader.read(text, "B.yaml"))
                .isInstanceOfSatisfying(ManifestException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("B.yaml:6:7: metadata.name: malformed YAML in or after this field:"
                            + " while parsing a flow sequence: expected ',' or ']', but got :");
                    assertThat(e.field()).contains("metadata.name");
                });
    }

    @Test
    void badJsonIsReportedAtTheLineItBreaks() {
        assertThatThrownBy(() -> ManifestReader.read("{\"apiVersion\": \"x\",\n \"kind\" \"SparkJob\"}", "m.json"))
                .hasMessageStartingWith("m.json:2:")
                .hasMessageContaining("malformed JSON");
    }

    @Test
    void unknownAndMistypedFieldsAreNamedInManifestTerms() {
        String text = SEED_SPARK_JOB.replace("  jobType: batch\n", "  jobType: batch\n  resources:\n    driver:\n      memroy: 4g\n")
                .replace("version: \"3.5\"", "version: \"9.9\"");

        assertThatThrownBy(() -> SparkJobManifest.of(ManifestReader.read(text, "B.yaml"), "u", VERSIONS))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("B.yaml:13:7: spec.resources.driver.memroy: unknown field"
                                + " (expected one of: cores, memory, memoryOverhead)"));
        String badVersion = SEED_SPARK_JOB.replace("version: \"3.5\"", "version: \"9.9\"");
        assertThatThrownBy(() -> SparkJobManifest.of(ManifestReader.read(badVersion, "B.yaml"), "u", VERSIONS))
                .hasMessageStartingWith("B.yaml:9:5: spec.engine.version: ");
    }

    @Test
    void derivedDatasetWithoutSinksOverwritesItsTable() {
        DerivedDatasetManifest dataset = DerivedDatasetManifest.of(ManifestReader.read(DERIVED_DATASET, "B.yaml"), "u", VERSIONS);

        assertThat(dataset.table().qualifiedName()).isEqualTo("pedregal.derived.order_counts");
        assertThat(dataset.request().config().coreEtl().jobSpec().sinks()).singleElement().satisfies(sink -> {
            assertThat(sink.qualifiedName()).isEqualTo("pedregal.derived.order_counts");
            assertThat(sink.effectiveMode()).isEqualTo(SinkMode.OVERWRITE);
        });
        assertThat(dataset.manifest().canonicalYaml()).as("the file as written, for plan diffs").doesNotContain("sinks")
                .contains("version: \"3.5\"\n")
                .contains("query: \"SELECT event_type, count(*) AS events FROM source GROUP BY event_type\"\n");
    }

    @Test
    void derivedDatasetWhoseSinkIsAnotherTableIsRefused() {
        String text = DERIVED_DATASET + """
                      sinks:
                        - {type: iceberg, catalog: pedregal, database: raw, table: events}
                """;

        assertThatThrownBy(() -> DerivedDatasetManifest.of(ManifestReader.read(text, "B.yaml"), "u", VERSIONS))
                .hasMessage("B.yaml:18:7: spec.coreEtl.jobSpec.sinks: a DerivedDataset writes exactly its table"
                        + " pedregal.derived.order_counts (leave sinks out, or give that one sink); found [pedregal.raw.events]");
    }

    @Test
    void derivedDatasetNeedsAWellFormedTable() {
        String text = DERIVED_DATASET.replace("table: pedregal.derived.order_counts", "table: order_counts");

        assertThatThrownBy(() -> DerivedDatasetManifest.of(ManifestReader.read(text, "B.yaml"), "u", VERSIONS))
                .hasMessage("B.yaml:9:3: spec.table: \"order_counts\" is not a table name like"
                        + " pedregal.derived.order_counts (catalog.database.table)");
    }

    @Test
    void severalDocumentsInOneFileAreRefused() {
        assertThatThrownBy(() -> ManifestReader.read(SEED_SPARK_JOB + "---\n" + SEED_SPARK_JOB, "B.yaml"))
                .hasMessageContaining("more than one YAML document");
    }
}
