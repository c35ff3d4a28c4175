package com.doordash.pedregal.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A playground to create with {@link DCPSparkClient#createPlayground(PlaygroundRequest)}.
 *
 * <pre>{@code
 * PlaygroundRequest request = PlaygroundRequest.builder().name("demo").team("data-infra").ttl(Duration.ofDays(7)).build();
 * }</pre>
 */
public final class PlaygroundRequest {
    private final String name;
    private final String team;
    private final Duration ttl;

    private PlaygroundRequest(Builder builder) {
        this.name = Checks.required("name", builder.name, "a playground name");
        this.team = builder.team;
        this.ttl = builder.ttl;
    }

    /** A builder; only the name is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The playground's name. */
    public String getName() {
        return name;
    }

    /** The team; the server picks the caller's team when they have exactly one. */
    public Optional<String> getTeam() {
        return Optional.ofNullable(team);
    }

    /** How long the playground lives; the server's default (7 days) when empty. */
    public Optional<Duration> getTtl() {
        return Optional.ofNullable(ttl);
    }

    @Override
    public String toString() {
        return "PlaygroundRequest{name=" + name + ", team=" + team + ", ttl=" + ttl + "}";
    }

    /**
     * A time to live as the API writes it: whole days, hours, minutes or seconds ({@code 7d}, {@code 90m}), the
     * largest unit that divides it exactly.
     */
    static String wireTtl(Duration ttl) {
        long seconds = ttl.getSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    /** Checks a time to live: positive whole seconds. */
    static Duration checkTtl(Duration ttl) {
        Checks.positive("ttl", ttl);
        if (ttl.getNano() != 0) {
            throw Checks.invalid("ttl", ttl.toString(), "whole seconds");
        }
        return ttl;
    }

    /** Builds a {@link PlaygroundRequest}; each value is checked as it is set. */
    public static final class Builder {
        private String name;
        private String team;
        private Duration ttl;

        private Builder() {
        }

        /** The playground's name, such as {@code demo}. */
        public Builder name(String name) {
            this.name = Checks.nonBlank("name", name);
            return this;
        }

        /** The owning team; needed when the caller is in several teams. */
        public Builder team(String team) {
            this.team = Checks.nonBlank("team", team);
            return this;
        }

        /** How long the playground lives: positive whole seconds; the server caps it ({@code playgrounds.max-ttl}). */
        public Builder ttl(Duration ttl) {
            this.ttl = checkTtl(ttl);
            return this;
        }

        /** The request; fails when no name was set. */
        public PlaygroundRequest build() {
            return new PlaygroundRequest(this);
        }
    }
}
