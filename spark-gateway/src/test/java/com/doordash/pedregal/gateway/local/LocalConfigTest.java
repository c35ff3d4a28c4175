package com.doordash.pedregal.gateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class LocalConfigTest {
    @Test
    void defaultsAreWhatTheReadmeSays() {
        ConfigProperties properties = new ConfigProperties(Map.of("gateway.hot-pool.pools", ""));

        LocalConfig config = LocalConfig.from(properties);

        assertThat(config).isEqualTo(new LocalConfig("local[*]", LocalConfig.defaultMaxDriverMemory(), 4,
                HotPoolConfig.from(new ConfigProperties(Map.of("gateway.hot-pool.pools", "")))));
        assertThat(config.maxDriverMemory()).isGreaterThanOrEqualTo(1L << 30);
        assertThat(properties.unknownKeys()).isEmpty();
    }

    @Test
    void everyKeyMaps() {
        ConfigProperties properties = new ConfigProperties(Map.of(
                "gateway.local.master", "local[2]",
                "gateway.local.max-driver-memory", "3g",
                "gateway.local.shuffle-partitions", "16",
                "gateway.hot-pool.pools", ""));

        LocalConfig config = LocalConfig.from(properties);

        assertThat(config.master()).isEqualTo("local[2]");
        assertThat(config.maxDriverMemory()).isEqualTo(3L << 30);
        assertThat(config.shufflePartitions()).isEqualTo(16);
        assertThat(properties.unknownKeys()).isEmpty();
    }
}
