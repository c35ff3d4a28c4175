package com.doordash.pedregal.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The report of {@code test} ({@code POST /api/v1/tests}): written by the analyzer on the test cluster, read by the
 * server, answered to clients. Sections that were not computed are absent.
 *
 * @param status {@code PASSED}, or {@code FAILED} when a finding is an error
 * @param findings what the analyzer found, errors first in spec order
 * @param schemas the schema of every transformation and sink
 * @param explain Spark's plan of the last transformation
 * @param lineage the columns of every sink and the source columns they come from
 * @param preview the first rows of the last transformation
 * @param schemaDiff each sink's schema against its existing table
 * @param cost the estimated size of what the job reads
 * @param timingsMs milliseconds per step, and {@code total}; the server adds {@code end_to_end}
 */
@JsonPropertyOrder({"status", "findings", "schemas", "explain", "lineage", "preview", "schema_diff", "cost", "timings_ms"})
public record TestReport(
        String status,
        List<Finding> findings,
        JsonNode schemas,
        String explain,
        JsonNode lineage,
        JsonNode preview,
        @JsonProperty("schema_diff") JsonNode schemaDiff,
        JsonNode cost,
        @JsonProperty("timings_ms") Map<String, Long> timingsMs) {
    public static final String PASSED = "PASSED";
    public static final String FAILED = "FAILED";

    public TestReport {
        findings = findings == null ? List.of() : List.copyOf(findings);
        timingsMs = timingsMs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(timingsMs));
    }

    /** The same report with {@code end_to_end} added to its timings. */
    public TestReport withEndToEnd(long millis) {
        Map<String, Long> timings = new LinkedHashMap<>(timingsMs);
        timings.put("end_to_end", millis);
        return new TestReport(status, findings, schemas, explain, lineage, preview, schemaDiff, cost, timings);
    }

    /**
     * The step the test cluster's read-only guard refused (a write, a path or data source, reflection, a script), if
     * any: not a finding about the spec but a request the platform does not serve.
     */
    public Optional<Finding> refusal() {
        return findings.stream().filter(finding -> TestFindings.REFUSED.equals(finding.code())).findFirst();
    }

    /**
     * One finding. Where it is is always present, null when unknown.
     *
     * @param severity {@code error}, {@code warning} or {@code info}
     * @param code what kind of finding, for example {@code UNRESOLVED_COLUMN} or {@link TestFindings#REFUSED}
     * @param message what is wrong, for a person
     * @param transformation the index of the transformation it is about, or null
     * @param line the line in that transformation's query, or null
     * @param column the column in that line, or null
     * @param name the name it is about (a column, a table), or null
     */
    public record Finding(
            String severity,
            String code,
            String message,
            @JsonInclude(JsonInclude.Include.ALWAYS) Integer transformation,
            @JsonInclude(JsonInclude.Include.ALWAYS) Integer line,
            @JsonInclude(JsonInclude.Include.ALWAYS) Integer column,
            @JsonInclude(JsonInclude.Include.ALWAYS) String name) {
    }
}
