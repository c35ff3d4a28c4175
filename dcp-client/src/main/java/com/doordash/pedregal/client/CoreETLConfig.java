package com.doordash.pedregal.client;

import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The CoreETL part of a job: the spec of sources → SQL transformations → sinks, as JSON, and the CoreETL
 * version it was written for.
 *
 * <pre>{@code
 * CoreETLConfig.builder()
 *     .version("2.7.0")
 *     .jobSpec("""
 *         {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
 *          "transformations": [{"type": "sql", "query": "SELECT * FROM source WHERE event_type = 'order'"}],
 *          "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "orders"}]}
 *         """)
 *     .build()
 * }</pre>
 *
 * <p>The spec is sent to the server as a JSON object; {@link Builder#build()} fails when it is not valid JSON
 * holding an object. Its content (sources, queries, sinks) is checked by the server.
 */
public final class CoreETLConfig {
    // Jackson's "(for Array starting at [Source: …; line: 1, column: 7])": the location is reported separately.
    private static final Pattern SOURCE_REFERENCE = Pattern.compile("\\s*\\(for [^\\[]*\\[Source:.*?\\]\\)", Pattern.DOTALL);

    private final String version;
    private final String jobSpec;
    private final ObjectNode jobSpecTree;

    private CoreETLConfig(String version, String jobSpec, ObjectNode jobSpecTree) {
        this.version = version;
        this.jobSpec = jobSpec;
        this.jobSpecTree = jobSpecTree;
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /** The CoreETL version the spec was written for, such as {@code 2.7.0}, if set. */
    public Optional<String> getVersion() {
        return Optional.ofNullable(version);
    }

    /** The job spec as it was given: JSON text holding an object. */
    public String getJobSpec() {
        return jobSpec;
    }

    /** The parsed spec; a copy, so that the caller cannot change this value. */
    ObjectNode jobSpecTree() {
        return jobSpecTree.deepCopy();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoreETLConfig that
                && Objects.equals(version, that.version)
                && jobSpecTree.equals(that.jobSpecTree);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, jobSpecTree);
    }

    @Override
    public String toString() {
        return "CoreETLConfig{version=" + version + ", jobSpec=" + Json.write(jobSpecTree) + "}";
    }

    /** Builds a {@link CoreETLConfig}; each value is checked as it is set, the spec's JSON at {@link #build()}. */
    public static final class Builder {
        private String version;
        private String jobSpec;

        private Builder() {
        }

        /** The CoreETL version the spec was written for, such as {@code 2.7.0}. */
        public Builder version(String version) {
            this.version = Checks.nonBlank("coreEtl.version", version);
            return this;
        }

        /** The job spec: JSON text holding an object with {@code sources}, {@code transformations} and {@code sinks}. */
        public Builder jobSpec(String jobSpecJson) {
            this.jobSpec = Checks.nonBlank("coreEtl.jobSpec", jobSpecJson);
            return this;
        }

        /**
         * The CoreETL configuration; fails when no spec was set, or when the spec is not valid JSON holding an
         * object (the message says where the JSON breaks).
         */
        public CoreETLConfig build() {
            Checks.required("coreEtl.jobSpec", jobSpec, "JSON text holding an object");
            return new CoreETLConfig(version, jobSpec, parse(jobSpec));
        }

        private static ObjectNode parse(String json) {
            JsonNode tree;
            try {
                tree = Json.mapper().readTree(json);
            }
            catch (JsonProcessingException e) {
                String at = e.getLocation() == null || e.getLocation().getLineNr() < 0
                        ? ""
                        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
                throw new IllegalArgumentException("coreEtl.jobSpec: malformed JSON" + at + ": "
                        + SOURCE_REFERENCE.matcher(e.getOriginalMessage()).replaceAll("")
                        + " (expected: JSON text holding an object)", e);
            }
            if (!(tree instanceof ObjectNode object)) {
                throw Checks.invalid("coreEtl.jobSpec", "a JSON " + tree.getNodeType().name().toLowerCase(Locale.ROOT),
                        "JSON text holding an object");
            }
            return object;
        }
    }
}
