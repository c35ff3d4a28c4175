package com.doordash.pedregal.gateway.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.gateway.local.HotPoolConfig;
import com.doordash.pedregal.model.config.ConfigProperties;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class DockerConfigTest {
    @Test
    void defaultsAreWhatTheReadmeSays() {
        DockerConfig config = DockerConfig.from(new ConfigProperties(Map.of("gateway.docker.host", "unix:///var/run/docker.sock")));

        assertThat(config).isEqualTo(new DockerConfig(URI.create("unix:///var/run/docker.sock"), "dcp-spark:{version}", "host",
                4, Duration.ofSeconds(30), new DockerConfig.HotPool(List.of(), 1, 4L << 30, 2, 3, Duration.ofMinutes(10),
                Duration.ofMinutes(3))));
        assertThat(config.image("4.0")).isEqualTo("dcp-spark:4.0");
    }

    @Test
    void everyKeyMaps() {
        ConfigProperties properties = new ConfigProperties(Map.ofEntries(
                Map.entry("gateway.docker.host", "tcp://127.0.0.1:2375"),
                Map.entry("gateway.docker.image", "registry.example.com/spark:{version}-dcp"),
                Map.entry("gateway.docker.network", "bridge"),
                Map.entry("gateway.docker.shuffle-partitions", "16"),
                Map.entry("gateway.docker.request-timeout", "5s"),
                Map.entry("gateway.docker.hot-pool.pools", "3.5/default=2, 4.0/analytics"),
                Map.entry("gateway.docker.hot-pool.size", "3"),
                Map.entry("gateway.docker.hot-pool.driver-memory", "2g"),
                Map.entry("gateway.docker.hot-pool.driver-cores", "4"),
                Map.entry("gateway.docker.hot-pool.max-size", "5"),
                Map.entry("gateway.docker.hot-pool.idle-timeout", "1m"),
                Map.entry("gateway.docker.hot-pool.start-timeout", "90s")));

        DockerConfig config = DockerConfig.from(properties);

        assertThat(config).isEqualTo(new DockerConfig(URI.create("tcp://127.0.0.1:2375"),
                "registry.example.com/spark:{version}-dcp", "bridge", 16, Duration.ofSeconds(5),
                new DockerConfig.HotPool(List.of(new HotPoolConfig.Pool("3.5", "default", 2),
                        new HotPoolConfig.Pool("4.0", "analytics", 3)), 3, 2L << 30, 4, 5, Duration.ofMinutes(1),
                        Duration.ofSeconds(90))));
        assertThat(properties.unknownKeys()).isEmpty();
    }

    @Test
    void aMalformedPoolListIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> DockerConfig.from(new ConfigProperties(Map.of("gateway.docker.hot-pool.pools", "3.5"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gateway.docker.hot-pool.pools: \"3.5\" is not valid: \"3.5\" is not <spark_version>/<namespace>[=<size>]");
        assertThatThrownBy(() -> DockerConfig.from(new ConfigProperties(Map.of("gateway.docker.hot-pool.pools",
                "3.5/default=1,3.5/default=2"))))
                .hasMessageContaining("3.5/default is listed twice");
        assertThatThrownBy(() -> DockerConfig.from(new ConfigProperties(Map.of("gateway.docker.hot-pool.driver-cores", "0"))))
                .hasMessageContaining("gateway.docker.hot-pool.driver-cores");
    }
}
