package com.doordash.pedregal.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class TestClusterConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        ConfigProperties properties = new ConfigProperties(Map.of());

        assertThat(TestClusterConfig.from(properties)).isEqualTo(new TestClusterConfig(true, 0, 15_002, "4.0", 2L << 30,
                Duration.ofSeconds(2), Duration.ofMinutes(2),
                List.of("com.doordash.pedregal.coreetl.testcluster.ReadOnlyExtensions"), 32, Duration.ofSeconds(60),
                TestClusterConfig.Backend.LOCAL, new TestClusterConfig.OnKubernetes("pedregal-system",
                        "dcp-test-cluster.pedregal-system.svc:15002", 4, 4, 2, 4L << 30)));
    }

    @Test
    void everyKeyMaps() {
        ConfigProperties properties = new ConfigProperties(Map.ofEntries(
                Map.entry("test-cluster.enabled", "false"),
                Map.entry("test-cluster.port", "16000"),
                Map.entry("test-cluster.proxy-port", "0"),
                Map.entry("test-cluster.spark-version", "4.1"),
                Map.entry("test-cluster.driver-memory", "1g"),
                Map.entry("test-cluster.health-interval", "500ms"),
                Map.entry("test-cluster.start-timeout", "30s"),
                Map.entry("test-cluster.extensions", " com.example.A , com.example.B "),
                Map.entry("test-cluster.max-concurrent-tests", "4"),
                Map.entry("test-cluster.call-timeout", "5s"),
                Map.entry("test-cluster.backend", "kubernetes"),
                Map.entry("test-cluster.kubernetes.namespace", "spark-test"),
                Map.entry("test-cluster.kubernetes.address", "127.0.0.1:25002"),
                Map.entry("test-cluster.kubernetes.driver-cores", "2"),
                Map.entry("test-cluster.kubernetes.executors", "0"),
                Map.entry("test-cluster.kubernetes.executor-cores", "1"),
                Map.entry("test-cluster.kubernetes.executor-memory", "1g")));

        assertThat(TestClusterConfig.from(properties)).isEqualTo(new TestClusterConfig(false, 16_000, 0, "4.1", 1L << 30,
                Duration.ofMillis(500), Duration.ofSeconds(30), List.of("com.example.A", "com.example.B"), 4, Duration.ofSeconds(5),
                TestClusterConfig.Backend.KUBERNETES,
                new TestClusterConfig.OnKubernetes("spark-test", "127.0.0.1:25002", 2, 0, 1, 1L << 30)));
        assertThat(properties.unknownKeys()).isEmpty();
    }

    @Test
    void emptyExtensionsLoadNoneButIceberg() {
        assertThat(TestClusterConfig.from(new ConfigProperties(Map.of("test-cluster.extensions", ""))).extensions())
                .isEmpty();
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> TestClusterConfig.from(new ConfigProperties(Map.of("test-cluster.extensions", "not a class"))))
                .hasMessage("test-cluster.extensions: \"not a class\" is not a class name");
        assertThatThrownBy(() -> TestClusterConfig.from(new ConfigProperties(Map.of("test-cluster.driver-memory", "100m"))))
                .hasMessage("test-cluster.driver-memory: 100m (expected: at least 256m)");
        assertThatThrownBy(() -> TestClusterConfig.from(new ConfigProperties(Map.of("test-cluster.proxy-port", "70000"))))
                .hasMessageStartingWith("test-cluster.proxy-port: \"70000\" is not valid");
        assertThatThrownBy(() -> TestClusterConfig.from(new ConfigProperties(Map.of("test-cluster.backend", "yarn"))))
                .hasMessage("test-cluster.backend: \"yarn\" is not a test cluster backend (expected local, docker or kubernetes)");
        assertThatThrownBy(() -> TestClusterConfig.from(new ConfigProperties(Map.of("test-cluster.kubernetes.address",
                "dcp-test-cluster"))))
                .hasMessage("test-cluster.kubernetes.address: \"dcp-test-cluster\" is not host:port");
        assertThatThrownBy(() -> TestClusterConfig.from(new ConfigProperties(Map.of("test-cluster.kubernetes.namespace",
                "Pedregal_System"))))
                .hasMessageStartingWith("test-cluster.kubernetes.namespace: \"Pedregal_System\" is not a Kubernetes namespace");
    }
}
