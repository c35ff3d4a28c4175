package com.doordash.pedregal.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of {@code GET /api/v1/jobs/{id}/logs}: the log text and where to read it. */
public record JobLogsResponse(String logs, @JsonProperty("logs_url") String logsUrl) {
}
