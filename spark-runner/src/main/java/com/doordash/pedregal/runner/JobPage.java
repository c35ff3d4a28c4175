package com.doordash.pedregal.runner;

import java.util.List;
import java.util.Optional;

/**
 * One page of jobs.
 *
 * @param jobs the jobs, newest first
 * @param nextPageToken the token for the next page, or null on the last page
 */
public record JobPage(List<Job> jobs, String nextPageToken) {
    public JobPage {
        jobs = List.copyOf(jobs);
    }

    /** The token for the next page, if there is one. */
    public Optional<String> next() {
        return Optional.ofNullable(nextPageToken);
    }
}
