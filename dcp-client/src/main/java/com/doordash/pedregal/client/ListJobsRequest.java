package com.doordash.pedregal.client;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which jobs {@link DCPSparkClient#listJobs(ListJobsRequest)} lists, and how many it fetches per request.
 *
 * <pre>{@code
 * ListJobsRequest.builder().team("data-infra").status(JobState.FAILED).pageSize(100).build()
 * }</pre>
 */
public final class ListJobsRequest {
    private final String team;
    private final JobState status;
    private final Integer pageSize;

    private ListJobsRequest(Builder builder) {
        this.team = builder.team;
        this.status = builder.status;
        this.pageSize = builder.pageSize;
    }

    /** A builder with nothing set: every job the caller may see, in pages of the server's default size. */
    public static Builder builder() {
        return new Builder();
    }

    /** Only jobs of this team, if set. */
    public Optional<String> getTeam() {
        return Optional.ofNullable(team);
    }

    /** Only jobs in this state, if set. */
    public Optional<JobState> getStatus() {
        return Optional.ofNullable(status);
    }

    /** How many jobs each request fetches, if set; the server's default (50) otherwise. */
    public OptionalInt getPageSize() {
        return pageSize == null ? OptionalInt.empty() : OptionalInt.of(pageSize);
    }

    @Override
    public String toString() {
        return "ListJobsRequest{team=" + team + ", status=" + status + ", pageSize=" + pageSize + "}";
    }

    /** Builds a {@link ListJobsRequest}; each value is checked as it is set. */
    public static final class Builder {
        private String team;
        private JobState status;
        private Integer pageSize;

        private Builder() {
        }

        /** Lists only jobs of this team, such as {@code data-infra}. */
        public Builder team(String team) {
            this.team = Checks.nonBlank("team", team);
            return this;
        }

        /** Lists only jobs in this state. */
        public Builder status(JobState status) {
            if (status == null || status == JobState.UNKNOWN) {
                throw Checks.invalid("status", String.valueOf(status), "a known JobState such as RUNNING");
            }
            this.status = status;
            return this;
        }

        /** How many jobs each request fetches: at least 1 (the server allows up to 500). */
        public Builder pageSize(int pageSize) {
            this.pageSize = Checks.atLeast("pageSize", pageSize, 1);
            return this;
        }

        /** The list request. */
        public ListJobsRequest build() {
            return new ListJobsRequest(this);
        }
    }
}
