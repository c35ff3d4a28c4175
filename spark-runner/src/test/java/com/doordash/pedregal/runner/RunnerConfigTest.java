package com.doordash.pedregal.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class RunnerConfigTest {
    private static final Path DATA = Path.of("/tmp/dcp-data");

    @Test
    void defaultsAreWhatTheReadmeSays() {
        ConfigProperties properties = new ConfigProperties(Map.of());

        assertThat(RunnerConfig.from(properties)).isEqualTo(new RunnerConfig(Duration.ofMillis(200), 4, 1L << 30, Duration.ZERO, 8, Duration.ofSeconds(1),
                new AdmissionConfig(8, 0, 0, 0, 0, 0, 0)));
        assertThat(StoreConfig.from(properties, DATA)).isEqualTo(new StoreConfig(
                "jdbc:h2:file:/tmp/dcp-data/db/dcp;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", "", "", 8));
    }

    @Test
    void everyKeyMaps() {
        ConfigProperties properties = new ConfigProperties(Map.ofEntries(
                Map.entry("runner.poll-interval", "1s"),
                Map.entry("runner.launch-threads", "2"),
                Map.entry("runner.default-driver-memory", "512m"),
                Map.entry("runner.default-timeout", "2h"),
                Map.entry("runner.callback.max-attempts", "3"),
                Map.entry("runner.callback.initial-backoff", "250ms"),
                Map.entry("runner.admission.max-running", "20"),
                Map.entry("runner.admission.max-cores", "64"),
                Map.entry("runner.admission.max-memory", "256g"),
                Map.entry("runner.admission.team-max-running", "5"),
                Map.entry("runner.admission.team-max-cores", "16"),
                Map.entry("runner.admission.team-max-memory", "64g"),
                Map.entry("runner.admission.namespace-max-running", "2"),
                Map.entry("store.jdbc-url", "jdbc:postgresql://db:5432/dcp"),
                Map.entry("store.username", "dcp"),
                Map.entry("store.password", "secret"),
                Map.entry("store.max-pool-size", "20")));

        assertThat(RunnerConfig.from(properties)).isEqualTo(new RunnerConfig(Duration.ofSeconds(1), 2, 512L << 20, Duration.ofHours(2), 3,
                Duration.ofMillis(250), new AdmissionConfig(20, 64, 256L << 30, 5, 16, 64L << 30, 2)));
        assertThat(StoreConfig.from(properties, DATA))
                .isEqualTo(new StoreConfig("jdbc:postgresql://db:5432/dcp", "dcp", "secret", 20));
        assertThat(properties.unknownKeys()).isEmpty();
    }

    @Test
    void storeConfigNeverShowsThePassword() {
        assertThat(new StoreConfig("jdbc:h2:mem:x", "dcp", "secret", 1).toString()).doesNotContain("secret");
    }
}
