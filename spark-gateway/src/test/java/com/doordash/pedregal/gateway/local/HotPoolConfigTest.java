package com.doordash.pedregal.gateway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class HotPoolConfigTest {
    @Test
    void defaultIsOneWarmDriverOfSpark35ForTheDefaultNamespace() {
        ConfigProperties properties = new ConfigProperties(Map.of());

        assertThat(HotPoolConfig.from(properties)).isEqualTo(new HotPoolConfig(
                List.of(new HotPoolConfig.Pool("3.5", "default", 1)), 1, 0, Duration.ofMinutes(3), 3, Duration.ofMinutes(10), 0,
                true));
        assertThat(properties.unknownKeys()).isEmpty();
    }

    @Test
    void everyKeyMaps() {
        ConfigProperties properties = new ConfigProperties(Map.of(
                "gateway.hot-pool.pools", "3.5/default=3, 4.0/default, 3.5/pg-alice=0",
                "gateway.hot-pool.size", "2",
                "gateway.hot-pool.driver-memory", "3g",
                "gateway.hot-pool.start-timeout", "90s",
                "gateway.hot-pool.max-size", "5",
                "gateway.hot-pool.idle-timeout", "2m",
                "gateway.hot-pool.memory-budget", "8g",
                "gateway.hot-pool.reuse", "false"));

        assertThat(HotPoolConfig.from(properties)).isEqualTo(new HotPoolConfig(List.of(
                new HotPoolConfig.Pool("3.5", "default", 3),
                new HotPoolConfig.Pool("4.0", "default", 2),
                new HotPoolConfig.Pool("3.5", "pg-alice", 0)), 2, 3L << 30, Duration.ofSeconds(90), 5, Duration.ofMinutes(2),
                8L << 30, false));
        assertThat(properties.unknownKeys()).isEmpty();
    }

    @Test
    void emptyListMeansNoPool() {
        assertThat(HotPoolConfig.from(new ConfigProperties(Map.of("gateway.hot-pool.pools", ""))).pools()).isEmpty();
    }

    @Test
    void malformedPoolsNameTheKeyAndTheEntry() {
        assertThatThrownBy(() -> HotPoolConfig.from(new ConfigProperties(Map.of("gateway.hot-pool.pools", "3.5"))))
                .hasMessage("gateway.hot-pool.pools: \"3.5\" is not valid: \"3.5\" is not <spark_version>/<namespace>[=<size>]");
        assertThatThrownBy(() -> HotPoolConfig.from(new ConfigProperties(Map.of("gateway.hot-pool.pools", "3.5/default=x"))))
                .hasMessage("gateway.hot-pool.pools: \"3.5/default=x\" is not valid: the size of 3.5/default must be a number from 0 to 64");
        assertThatThrownBy(() -> HotPoolConfig.from(new ConfigProperties(Map.of("gateway.hot-pool.pools", "3.5/a,3.5/a=2"))))
                .hasMessage("gateway.hot-pool.pools: \"3.5/a,3.5/a=2\" is not valid: 3.5/a is listed twice");
    }
}
