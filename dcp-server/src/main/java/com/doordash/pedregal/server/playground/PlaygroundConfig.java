package com.doordash.pedregal.server.playground;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.time.Duration;

/**
 * Playground settings ({@code playgrounds.*}).
 *
 * @param defaultTtl how long a playground lives when its creator gives no TTL ({@code playgrounds.default-ttl}, 7d)
 * @param maxTtl the longest TTL a playground may be given, at creation or by extend ({@code playgrounds.max-ttl}, 30d)
 * @param janitorInterval how often expired playgrounds are dropped ({@code playgrounds.janitor-interval}, 1m)
 * @param toolTimeout how long creating or dropping a playground's tables on Spark may take
 *     ({@code playgrounds.tool-timeout}, 5m)
 */
public record PlaygroundConfig(Duration defaultTtl, Duration maxTtl, Duration janitorInterval, Duration toolTimeout) {
    public PlaygroundConfig {
        requireNonNull(defaultTtl, "defaultTtl is null");
        requireNonNull(maxTtl, "maxTtl is null");
        requireNonNull(janitorInterval, "janitorInterval is null");
        requireNonNull(toolTimeout, "toolTimeout is null");
        if (defaultTtl.compareTo(maxTtl) > 0) {
            throw new IllegalArgumentException("playgrounds.default-ttl (" + defaultTtl + ") is longer than playgrounds.max-ttl ("
                    + maxTtl + ")");
        }
    }

    /** The settings in {@code properties}. */
    public static PlaygroundConfig from(ConfigProperties properties) {
        return new PlaygroundConfig(
                properties.duration("playgrounds.default-ttl", Duration.ofDays(7)),
                properties.duration("playgrounds.max-ttl", Duration.ofDays(30)),
                properties.duration("playgrounds.janitor-interval", Duration.ofMinutes(1)),
                properties.duration("playgrounds.tool-timeout", Duration.ofMinutes(5)));
    }
}
