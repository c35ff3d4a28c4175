package com.doordash.pedregal.gateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.internal.WarmDrivers;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.TestDirs;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.driver.DriverConf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which job settings a warm driver takes when the job starts; no driver is started (the runtime is an empty shell). */
final class HotPoolRunTimeConfTest {
    @TempDir
    Path dir;

    @Test
    void playgroundNamespaceKeepsAJobWarm() throws Exception {
        HotPool pool = pool();

        assertThat(pool.whyCold(launch(Map.of(DriverConf.PLAYGROUND_NAMESPACE, "pedregal.pg_x")))).isEmpty();
        assertThat(pool.whyCold(launch(Map.of(DriverConf.PLAYGROUND_NAMESPACE, "pedregal.pg_x",
                "spark.sql.shuffle.partitions", "8")))).isEmpty();
        assertThat(pool.whyCold(launch(Map.of("spark.pedregal.other", "x"))))
                .contains("spark_config.spark.pedregal.other is read when a driver starts");
    }

    @Test
    void theWallsSettingsKeepAJobWarmAndReachTheWarmDriver() throws Exception {
        Map<String, String> conf = Map.of(DriverConf.WRITE_NAMESPACES, "pedregal.ads,pedregal.ads_*",
                DriverConf.CUSTOM_CODE, "false");

        assertThat(pool().whyCold(launch(conf))).isEmpty();
        assertThat(WarmDrivers.runTimeConf(conf)).isEqualTo(conf);
    }

    @Test
    void warmDriverIsHandedThePlaygroundNamespaceWithTheSessionSettings() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.sql.shuffle.partitions", "8");
        conf.put(DriverConf.PLAYGROUND_NAMESPACE, "pedregal.pg_x");
        conf.put("spark.executor.memory", "8g");
        conf.put("spark.sql.catalog.other", "x");

        assertThat(WarmDrivers.runTimeConf(conf)).containsExactly(Map.entry("spark.sql.shuffle.partitions", "8"),
                Map.entry(DriverConf.PLAYGROUND_NAMESPACE, "pedregal.pg_x"));
    }

    private HotPool pool() throws Exception {
        TestDirs.reachable(dir);
        Path runtime = dir.resolve("runtimes/3.5");
        Files.createDirectories(runtime.resolve("jars"));
        Files.createDirectories(runtime.resolve("app"));
        Files.writeString(runtime.resolve("jars/spark-core_2.13-3.5.9.jar"), "");
        Files.writeString(runtime.resolve("app/coreetl.jar"), "");
        GatewayConfig config = GatewayConfig.from(new ConfigProperties(Map.of(
                "gateway.runtimes-dir", dir.resolve("runtimes").toString())), dir.resolve("data"));
        SparkRuntimes runtimes = SparkRuntimes.scan(config.runtimesDir());
        return new HotPool(new LocalBackend(config, runtimes).launcher(), config, LocalConfig.withoutHotPools(), runtimes);
    }

    private static LaunchRequest launch(Map<String, String> sparkConf) {
        Application job = Application.coreEtl("{}");
        return new LaunchRequest("e", "n", "t", LaunchRequest.DEFAULT_NAMESPACE, "BATCH", "3.5", job, sparkConf, Map.of(),
                1, 1L << 30);
    }
}
