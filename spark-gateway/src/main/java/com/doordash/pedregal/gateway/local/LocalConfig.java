package com.doordash.pedregal.gateway.local;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.model.config.ConfigProperties;

/**
 * Configuration of the local backend.
 *
 * @param master the master URL of local drivers — key {@code gateway.local.master}
 * @param maxDriverMemory the largest driver heap the local backend grants — {@code gateway.local.max-driver-memory}
 * @param shufflePartitions {@code spark.sql.shuffle.partitions} unless the job sets it — {@code gateway.local.shuffle-partitions}
 * @param hotPool its pools of warm drivers — {@code gateway.hot-pool.*}
 */
public record LocalConfig(String master, long maxDriverMemory, int shufflePartitions, HotPoolConfig hotPool) {
    public LocalConfig {
        requireNonNull(master, "master is null");
        requireNonNull(hotPool, "hotPool is null");
    }

    /** Reads the {@code gateway.local.*} and {@code gateway.hot-pool.*} keys. */
    public static LocalConfig from(ConfigProperties properties) {
        return new LocalConfig(
                properties.string("gateway.local.master", "local[*]"),
                properties.bytes("gateway.local.max-driver-memory", defaultMaxDriverMemory()),
                properties.integer("gateway.local.shuffle-partitions", 4, 1, 100_000),
                HotPoolConfig.from(properties));
    }

    /** The defaults, without hot pools. */
    public static LocalConfig withoutHotPools() {
        return new LocalConfig("local[*]", defaultMaxDriverMemory(), 4, HotPoolConfig.none());
    }

    /** The same configuration with {@code pools}. */
    public LocalConfig withHotPool(HotPoolConfig pools) {
        return new LocalConfig(master, maxDriverMemory, shufflePartitions, pools);
    }

    /** A quarter of the machine's memory, at least 1 GiB: room for several drivers beside the server. */
    static long defaultMaxDriverMemory() {
        return Math.max(1L << 30, GatewayConfig.physicalMemory() / 4);
    }
}
