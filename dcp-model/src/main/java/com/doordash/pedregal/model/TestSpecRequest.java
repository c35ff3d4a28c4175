package com.doordash.pedregal.model;

import com.doordash.pedregal.model.json.JobSpecDeserializer;
import com.doordash.pedregal.model.spec.CoreEtlSpec;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request to test a CoreETL spec on the shared test cluster ({@code POST /api/v1/tests}): nothing is written.
 *
 * @param team the team the spec belongs to; optional, and when given the caller must act for it
 * @param jobSpec the spec, as a JSON object or as a string holding JSON
 * @param options which report sections to compute and how, for example
 *     {@code {"sections": {"preview": false}, "preview_limit": 50, "policy": {"allowed_sink_namespaces": ["derived"]}}};
 *     empty for the defaults
 */
public record TestSpecRequest(
        String team,
        @JsonProperty("job_spec") @JsonDeserialize(using = JobSpecDeserializer.class) CoreEtlSpec jobSpec,
        Map<String, Object> options) {
    public TestSpecRequest {
        options = options == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }
}
