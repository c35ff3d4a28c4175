package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.nio.file.Path;

/**
 * Where jobs are stored.
 *
 * @param jdbcUrl the database — key {@code store.jdbc-url}; an H2 file database in the data directory by default,
 *     {@code jdbc:postgresql://host:5432/db} in production
 * @param username the database user — {@code store.username}
 * @param password the database password — {@code store.password}
 * @param maxPoolSize the most connections held — {@code store.max-pool-size}
 */
public record StoreConfig(String jdbcUrl, String username, String password, int maxPoolSize) {
    public StoreConfig {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        requireNonNull(username, "username is null");
        requireNonNull(password, "password is null");
    }

    /** Reads the {@code store.*} keys. */
    public static StoreConfig from(ConfigProperties properties, Path dataDir) {
        return new StoreConfig(
                properties.string("store.jdbc-url", h2Url(dataDir)),
                properties.string("store.username", ""),
                properties.string("store.password", ""),
                properties.integer("store.max-pool-size", 8, 1, 200));
    }

    /**
     * The embedded default: an H2 file database under {@code dataDir/db}. {@code WRITE_DELAY=0} writes every commit
     * to the file before the commit returns, so a job answered 202 survives a crash of the server; H2's default
     * (500 ms) lost every commit of the last half second to a {@code kill -9}.
     */
    static String h2Url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("db").resolve("dcp").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    @Override
    public String toString() {
        return "StoreConfig[jdbcUrl=" + jdbcUrl + ", username=" + username + ", password=***, maxPoolSize=" + maxPoolSize + "]";
    }
}
