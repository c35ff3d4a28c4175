package com.doordash.pedregal.model;

import com.doordash.pedregal.model.driver.DriverConf;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which Spark settings a user may change in a session the platform shares or guards (the read-only test cluster, a
 * job's own SQL {@code SET}, a Spark Connect {@code spark.conf().set}), and which jobs may pass as {@code
 * spark_config} by default. One rule everywhere:
 * <ul>
 *   <li>only {@code spark.sql.*} settings: anything else reaches Spark core or Hadoop (a session's settings are copied
 *       into its Hadoop configuration, so {@code SET fs.file.impl=...} would swap a file system);</li>
 *   <li>and none that point a session at other storage or load classes: catalogs, warehouses, extensions,
 *       listeners, class names, serializers, committers, plugins, Hive, artifacts, Spark Connect, streaming
 *       checkpoints and the platform's own {@code spark.pedregal.*}.</li>
 * </ul>
 */
public final class SessionSettings {
    private static final List<String> PROTECTED_PARTS = List.of("catalog", "warehouse", "extension", "listener", "class",
            "serializer", "committer", "plugin", ".impl", ".hive.", "artifact", ".connect.", "globaltemp", "checkpoint",
            "streaming.");

    private SessionSettings() {
    }

    /** Why a user may not set {@code key} in a session, or empty when they may. */
    public static Optional<String> whyRefused(String key) {
        String lower = key == null ? "" : key.strip().toLowerCase(Locale.ROOT);
        if (lower.startsWith(DriverConf.PREFIX)) {
            return Optional.of(key + " is the platform's own setting");
        }
        if (!lower.startsWith("spark.sql.")) {
            return Optional.of(key + " is not a spark.sql.* setting: it would change Spark core or Hadoop (file system)"
                    + " settings");
        }
        for (String part : PROTECTED_PARTS) {
            if (lower.contains(part)) {
                return Optional.of(key + " points a session at other catalogs or storage, or loads classes");
            }
        }
        return Optional.empty();
    }
}
