package com.doordash.pedregal.pretzel;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

final class ReportRendererTest {
    private static final String FAILED_REPORT = """
            {"status": "FAILED",
             "findings": [
               {"severity": "error", "code": "UNRESOLVED_COLUMN", "message": "column `evnt_type` cannot be resolved",
                "transformation": 0, "line": 1, "column": 8, "name": "evnt_type"},
               {"severity": "warning", "code": "POLICY_SELECT_STAR", "message": "SELECT * into a sink",
                "transformation": null, "line": null, "column": null, "name": null}],
             "timings_ms": {"total": 412}}
            """;

    private static final String PASSED_REPORT = """
            {"status": "PASSED", "findings": [],
             "schemas": {"transformations": [{"index": 0, "columns": [
                            {"name": "event_type", "type": "string", "nullable": true},
                            {"name": "events", "type": "bigint", "nullable": false}]}],
                         "sinks": [{"table": "pedregal.derived.order_counts", "columns": [
                            {"name": "event_type", "type": "string", "nullable": true},
                            {"name": "events", "type": "bigint", "nullable": false}]}]},
             "explain": "== Physical Plan ==\\nHashAggregate",
             "lineage": {"tables": [{"sink": "pedregal.derived.order_counts", "sources": ["pedregal.raw.events"]}],
                         "columns": [{"sink": "pedregal.derived.order_counts", "column": "event_type",
                                      "sources": ["pedregal.raw.events.event_type"]},
                                     {"sink": "pedregal.derived.order_counts", "column": "events", "sources": []}]},
             "preview": {"columns": ["event_type", "events"], "rows": [["order", 3000], ["click", 2500], [null, 1]], "limit": 20},
             "schema_diff": [{"sink": "pedregal.derived.order_counts", "exists": true, "changes": [
                 {"column": "events", "change": "type_changed", "from": "int", "to": "bigint", "breaking": false},
                 {"column": "old", "change": "removed", "from": "string", "to": null, "breaking": true}]}],
             "cost": [{"source": "pedregal.raw.events", "files": 2, "bytes": 160123, "total_files": 4, "total_bytes": 320246}],
             "timings_ms": {"total": 95, "resolve": 20}}
            """;

    @Test
    void failedReportShowsCountsAndWhereEachFindingIs() throws Exception {
        String text = ReportRenderer.render(json(FAILED_REPORT), false);

        assertThat(text).isEqualTo("""
                FAILED in 412 ms: 1 error, 1 warning

                Findings:
                  error   UNRESOLVED_COLUMN (transformations[0], line 1, column 8, name evnt_type): column `evnt_type` cannot be resolved
                  warning POLICY_SELECT_STAR: SELECT * into a sink
                """);
    }

    @Test
    void passedReportShowsEverySectionWithAnAlignedPreview() throws Exception {
        String text = ReportRenderer.render(json(PASSED_REPORT), false);

        assertThat(text).startsWith("PASSED in 95 ms\n");
        assertThat(text).contains("""
                Schema of sink pedregal.derived.order_counts:
                  event_type  string
                  events      bigint  not null
                """);
        assertThat(text).contains("""
                Lineage:
                  pedregal.derived.order_counts <- pedregal.raw.events
                    event_type  <-  pedregal.raw.events.event_type
                    events      <-  (none)
                """);
        assertThat(text).contains("""
                Schema diff:
                  pedregal.derived.order_counts:
                    ~ events  type_changed  int -> bigint
                    - old     removed       string         BREAKING
                """);
        assertThat(text).contains("""
                Preview (3 rows, limit 20):
                  event_type  events
                  order       3000
                  click       2500
                  NULL        1
                """);
        assertThat(text).contains("""
                Cost:
                  pedregal.raw.events  2 of 4 files  156.4 KiB of 312.7 KiB
                """);
        assertThat(text).doesNotContain("Physical Plan");
        assertThat(ReportRenderer.render(json(PASSED_REPORT), true)).contains("Plan:\n  == Physical Plan ==\n  HashAggregate\n");
    }

    @Test
    void missingSectionsAreLeftOut() throws Exception {
        String text = ReportRenderer.render(json("{\"status\": \"PASSED\", \"findings\": []}"), false);

        assertThat(text).isEqualTo("PASSED\n");
    }

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }
}
