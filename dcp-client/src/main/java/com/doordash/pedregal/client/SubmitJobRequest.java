package com.doordash.pedregal.client;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A job to submit with {@link DCPSparkClient#submitJob(SubmitJobRequest)}: who submits it, for which team,
 * and how it runs.
 *
 * <pre>{@code
 * SubmitJobRequest request = SubmitJobRequest.builder()
 *     .name("my-etl-job")
 *     .team("data-infra")
 *     .user("user@doordash.com")
 *     .config(SparkJobConfig.builder()...build())
 *     .build();
 * }</pre>
 *
 * <p>The builder checks the shape of each value as it is set (non-blank names, positive counts, sizes like
 * {@code 8g}); the server checks the rest (supported Spark versions, team names, the CoreETL spec) and
 * answers with an {@link InvalidRequestException} naming the field.
 */
public final class SubmitJobRequest {
    private final String name;
    private final String team;
    private final String user;
    private final SparkJobConfig config;
    private final String idempotencyKey;
    private final String callbackUrl;
    private final Long timeoutSeconds;

    private SubmitJobRequest(Builder builder) {
        this.name = builder.name;
        this.team = builder.team;
        this.user = builder.user;
        this.config = builder.config;
        this.idempotencyKey = builder.idempotencyKey;
        this.callbackUrl = builder.callbackUrl;
        this.timeoutSeconds = builder.timeoutSeconds;
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /** The job's name, such as {@code my-etl-job}. */
    public String getName() {
        return name;
    }

    /** The owning team, such as {@code data-infra}. */
    public String getTeam() {
        return team;
    }

    /** The submitting user, such as {@code user@doordash.com}. */
    public String getUser() {
        return user;
    }

    /** How the job runs. */
    public SparkJobConfig getConfig() {
        return config;
    }

    /** The idempotency key, if set: a second submit with the same key from the same team returns the first job. */
    public Optional<String> getIdempotencyKey() {
        return Optional.ofNullable(idempotencyKey);
    }

    /** The URL that receives a POST of the final status when the job ends, if set. */
    public Optional<String> getCallbackUrl() {
        return Optional.ofNullable(callbackUrl);
    }

    /** How long the job may run before it is stopped and marked {@code TIMEOUT}, in seconds, if set. */
    public OptionalLong getTimeoutSeconds() {
        return timeoutSeconds == null ? OptionalLong.empty() : OptionalLong.of(timeoutSeconds);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubmitJobRequest that
                && name.equals(that.name)
                && team.equals(that.team)
                && user.equals(that.user)
                && config.equals(that.config)
                && Objects.equals(idempotencyKey, that.idempotencyKey)
                && Objects.equals(callbackUrl, that.callbackUrl)
                && Objects.equals(timeoutSeconds, that.timeoutSeconds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, team, user, config, idempotencyKey, callbackUrl, timeoutSeconds);
    }

    @Override
    public String toString() {
        return "SubmitJobRequest{name=" + name + ", team=" + team + ", user=" + user + ", config=" + config
                + ", idempotencyKey=" + idempotencyKey + ", callbackUrl=" + callbackUrl
                + ", timeoutSeconds=" + timeoutSeconds + "}";
    }

    /** Builds a {@link SubmitJobRequest}; each value is checked as it is set. */
    public static final class Builder {
        private String name;
        private String team;
        private String user;
        private SparkJobConfig config;
        private String idempotencyKey;
        private String callbackUrl;
        private Long timeoutSeconds;

        private Builder() {
        }

        /** The job's name, such as {@code my-etl-job}. */
        public Builder name(String name) {
            this.name = Checks.nonBlank("name", name);
            return this;
        }

        /** The owning team, such as {@code data-infra}. */
        public Builder team(String team) {
            this.team = Checks.nonBlank("team", team);
            return this;
        }

        /** The submitting user, such as {@code user@doordash.com}. */
        public Builder user(String user) {
            this.user = Checks.nonBlank("user", user);
            return this;
        }

        /** How the job runs. */
        public Builder config(SparkJobConfig config) {
            this.config = Checks.nonNull("config", config, "a SparkJobConfig");
            return this;
        }

        /**
         * A key that makes submitting safe to repeat: a second submit with the same key from the same team
         * returns the first job instead of starting another, so a submit whose answer was lost can simply be
         * sent again.
         */
        public Builder idempotencyKey(String idempotencyKey) {
            this.idempotencyKey = Checks.nonBlank("idempotencyKey", idempotencyKey);
            return this;
        }

        /** An {@code http(s)://} URL that receives a POST of the final status (JSON) when the job ends. */
        public Builder callbackUrl(String callbackUrl) {
            this.callbackUrl = Checks.httpUrl("callbackUrl", callbackUrl);
            return this;
        }

        /** How long the job may run, in seconds (at least 1), before it is stopped and marked {@code TIMEOUT}. */
        public Builder timeoutSeconds(long timeoutSeconds) {
            this.timeoutSeconds = Checks.atLeast("timeoutSeconds", timeoutSeconds, 1L);
            return this;
        }

        /** The request; fails when {@code name}, {@code team}, {@code user} or {@code config} is missing. */
        public SubmitJobRequest build() {
            Checks.required("name", name, Checks.NON_BLANK);
            Checks.required("team", team, Checks.NON_BLANK);
            Checks.required("user", user, Checks.NON_BLANK);
            Checks.required("config", config, "a SparkJobConfig");
            return new SubmitJobRequest(this);
        }
    }
}
