package com.doordash.pedregal.model;

import com.doordash.pedregal.model.json.JobSpecDeserializer;
import com.doordash.pedregal.model.spec.CoreEtlSpec;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * The CoreETL part of a job.
 *
 * @param version the CoreETL version the job was written for, for example {@code 2.7.0}
 * @param jobSpec the job spec; on the wire either a JSON object or a string holding JSON
 */
public record CoreEtlConfig(
        String version,
        @JsonProperty("job_spec") @JsonDeserialize(using = JobSpecDeserializer.class) CoreEtlSpec jobSpec) {
}
