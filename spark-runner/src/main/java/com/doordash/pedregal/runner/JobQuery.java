package com.doordash.pedregal.runner;

import com.doordash.pedregal.model.JobState;

/**
 * Which jobs to list: newest first, optionally of one team and in one state.
 *
 * @param team only this team's jobs, or null for all
 * @param state only jobs in this state, or null for all
 * @param limit the page size
 * @param pageToken where the previous page ended, or null for the first page
 */
public record JobQuery(String team, JobState state, int limit, String pageToken) {
    public JobQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 1)");
        }
    }
}
