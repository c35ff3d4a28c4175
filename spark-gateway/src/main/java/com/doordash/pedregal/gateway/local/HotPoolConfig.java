package com.doordash.pedregal.gateway.local;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.model.config.ConfigProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The hot pools of pre-started drivers.
 *
 * @param pools which pools to keep — key {@code gateway.hot-pool.pools}: a comma-separated list of
 *     {@code <spark_version>/<namespace>[=<size>]}, for example {@code 3.5/default=2,4.0/default}; empty for none
 * @param defaultSize the size of a pool listed without one — {@code gateway.hot-pool.size}
 * @param driverMemory the heap of a warm driver; jobs asking more start cold; 0 (the default) for the most the local
 *     backend grants any driver ({@code gateway.local.max-driver-memory}) — {@code gateway.hot-pool.driver-memory}
 * @param startTimeout how long a warm driver may take to warm up before it is replaced —
 *     {@code gateway.hot-pool.start-timeout}
 * @param maxSize how far a pool grows with demand: each job that starts cold because no warm driver of its pool was
 *     idle adds one, up to this many (never below the pool's own size) — {@code gateway.hot-pool.max-size}
 * @param idleTimeout a pool grown beyond its size gives one warm driver back after none was handed off for this long
 *     — {@code gateway.hot-pool.idle-timeout}
 * @param memoryBudget the most heap all warm drivers together may hold; growth stops there; 0 (the default) for half
 *     of this machine's memory (heaps are counted at their maximum) — {@code gateway.hot-pool.memory-budget}
 * @param reuse whether a warm driver that ran a job takes the next job of the same team in the same namespace (at most
 *     {@value HotPool#MAX_JOBS_PER_DRIVER} jobs, each in a Spark session of its own; it is stopped after
 *     {@value HotPool#REUSE_IDLE_SECONDS} s without one); with {@code false} no JVM ever runs two jobs —
 *     {@code gateway.hot-pool.reuse}
 */
public record HotPoolConfig(List<Pool> pools, int defaultSize, long driverMemory, Duration startTimeout, int maxSize,
        Duration idleTimeout, long memoryBudget, boolean reuse) {
    public HotPoolConfig {
        pools = List.copyOf(requireNonNull(pools, "pools is null"));
        requireNonNull(startTimeout, "startTimeout is null");
        requireNonNull(idleTimeout, "idleTimeout is null");
    }

    /**
     * One pool.
     *
     * @param sparkVersion the runtime of its drivers
     * @param namespace the namespace whose jobs it serves
     * @param size how many warm drivers it keeps
     */
    public record Pool(String sparkVersion, String namespace, int size) {
        public Pool {
            requireNonNull(sparkVersion, "sparkVersion is null");
            requireNonNull(namespace, "namespace is null");
        }
    }

    /** No hot pool: every job starts its own driver. */
    public static HotPoolConfig none() {
        return new HotPoolConfig(List.of(), 1, 0, Duration.ofMinutes(3), 3, Duration.ofMinutes(10), 0, false);
    }

    /** Reads the {@code gateway.hot-pool.*} keys; by default one warm driver of runtime 3.5 for namespace default. */
    public static HotPoolConfig from(ConfigProperties properties) {
        int defaultSize = properties.integer("gateway.hot-pool.size", 1, 0, 64);
        List<Pool> pools = parsePools("gateway.hot-pool.pools",
                properties.string("gateway.hot-pool.pools", "3.5/" + LaunchRequest.DEFAULT_NAMESPACE), defaultSize);
        return new HotPoolConfig(pools,
                defaultSize,
                properties.bytes("gateway.hot-pool.driver-memory", 0),
                properties.duration("gateway.hot-pool.start-timeout", Duration.ofMinutes(3)),
                properties.integer("gateway.hot-pool.max-size", 3, 0, 64),
                properties.duration("gateway.hot-pool.idle-timeout", Duration.ofMinutes(10)),
                properties.bytes("gateway.hot-pool.memory-budget", 0),
                properties.bool("gateway.hot-pool.reuse", true));
    }

    /**
     * The pools of {@code text}, the value of {@code key}: a comma-separated list of
     * {@code <spark_version>/<namespace>[=<size>]}, {@code defaultSize} for a pool listed without one.
     */
    public static List<Pool> parsePools(String key, String text, int defaultSize) {
        List<Pool> pools = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String entry : text.split(",")) {
            String item = entry.strip();
            if (item.isEmpty()) {
                continue;
            }
            String[] sized = item.split("=", 2);
            String[] pool = sized[0].strip().split("/", 2);
            if (pool.length != 2 || pool[0].isBlank() || pool[1].isBlank()) {
                throw invalid(key, text, "\"" + item + "\" is not <spark_version>/<namespace>[=<size>]");
            }
            int size = defaultSize;
            if (sized.length == 2) {
                try {
                    size = Integer.parseInt(sized[1].strip());
                }
                catch (NumberFormatException e) {
                    size = -1;
                }
                if (size < 0 || size > 64) {
                    throw invalid(key, text, "the size of " + sized[0].strip() + " must be a number from 0 to 64");
                }
            }
            if (!seen.add(pool[0].strip() + "/" + pool[1].strip())) {
                throw invalid(key, text, sized[0].strip() + " is listed twice");
            }
            pools.add(new Pool(pool[0].strip(), pool[1].strip(), size));
        }
        return List.copyOf(pools);
    }

    private static IllegalArgumentException invalid(String key, String text, String reason) {
        return new IllegalArgumentException(key + ": \"" + text + "\" is not valid: " + reason);
    }
}
