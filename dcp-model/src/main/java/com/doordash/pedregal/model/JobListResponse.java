package com.doordash.pedregal.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One page of {@code GET /api/v1/jobs}, newest job first.
 *
 * @param jobs the jobs on this page
 * @param nextPageToken pass as {@code page_token} to read the next page; absent on the last page
 */
public record JobListResponse(List<JobStatusResponse> jobs, @JsonProperty("next_page_token") String nextPageToken) {
    public JobListResponse {
        jobs = List.copyOf(jobs);
    }
}
