package com.doordash.pedregal.runner;

import com.doordash.pedregal.model.JobState;
import java.util.Set;

/**
 * Which jobs to list: newest first, optionally of some teams, with a name prefix, in one state.
 *
 * @param teams only these teams' jobs, or null for every team
 * @param namePrefix only jobs whose name starts with this, or null
 * @param state only jobs in this state, or null for all
 * @param limit the page size
 * @param pageToken where the previous page ended, or null for the first page
 */
public record JobQuery(Set<String> teams, String namePrefix, JobState state, int limit, String pageToken) {
    /** The page size when a caller names none. */
    public static final int DEFAULT_LIMIT = 50;
    /** The largest page size any API accepts. */
    public static final int MAX_LIMIT = 500;

    public JobQuery {
        teams = teams == null ? null : Set.copyOf(teams);
        if (limit < 1) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 1)");
        }
    }

    /** The same query restricted to {@code allowed} teams. */
    public JobQuery withTeams(Set<String> allowed) {
        return new JobQuery(allowed, namePrefix, state, limit, pageToken);
    }
}
