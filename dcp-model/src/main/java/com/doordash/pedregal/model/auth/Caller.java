package com.doordash.pedregal.model.auth;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import java.util.Set;

/**
 * Who is calling, as established from their credentials: a user, the teams they act for, and whether
 * they are an administrator (who may act for any team and user).
 *
 * @param user the user, for example {@code user@doordash.com}
 * @param teams the teams whose jobs the caller may submit, see and cancel
 * @param admin whether the caller may act on every team's jobs
 */
public record Caller(String user, Set<String> teams, boolean admin) {
    public Caller {
        requireNonNull(user, "user is null");
        teams = Set.copyOf(teams);
    }

    /** Whether the caller may act on jobs of {@code team}. */
    public boolean canActFor(String team) {
        return admin || teams.contains(team);
    }

    /** Fails with PERMISSION_DENIED unless the caller may act on jobs of {@code team}. */
    public void checkTeam(String team, String field) {
        if (!canActFor(team)) {
            throw new PlatformException(ErrorCode.PERMISSION_DENIED,
                    "user " + user + " may not act for team " + team, field);
        }
    }

    /** Fails with PERMISSION_DENIED unless the caller is {@code requestedUser} (administrators may act as anyone). */
    public void checkUser(String requestedUser, String field) {
        if (!admin && !user.equals(requestedUser)) {
            throw new PlatformException(ErrorCode.PERMISSION_DENIED,
                    "user " + user + " may not submit jobs as " + requestedUser, field);
        }
    }
}
