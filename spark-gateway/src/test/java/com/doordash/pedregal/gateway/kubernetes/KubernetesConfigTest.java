package com.doordash.pedregal.gateway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class KubernetesConfigTest {
    @Test
    void defaultsAreWhatTheReadmeSays() {
        KubernetesConfig config = KubernetesConfig.from(new ConfigProperties(Map.of()));

        assertThat(config).isEqualTo(new KubernetesConfig("", "spark-jobs", Map.of(), "dcp-spark:{version}", "spark", 4,
                16L << 30, 8, 32L << 30, 50, Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofSeconds(30),
                "dcp-job-credentials"));
        assertThat(config.namespaceOf("any-team")).isEqualTo("spark-jobs");
    }

    @Test
    void everyKeyMaps() {
        ConfigProperties properties = new ConfigProperties(Map.ofEntries(
                Map.entry("gateway.kubernetes.enabled", "true"),
                Map.entry("gateway.kubernetes.master-url", "https://10.0.0.1:6443"),
                Map.entry("gateway.kubernetes.namespace", "jobs"),
                Map.entry("gateway.kubernetes.team-namespaces", "data-infra=data-infra-jobs, growth=growth-jobs"),
                Map.entry("gateway.kubernetes.image", "registry.example.com/dcp-spark:{version}"),
                Map.entry("gateway.kubernetes.service-account", "spark-operator-spark"),
                Map.entry("gateway.kubernetes.max-driver-cores", "8"),
                Map.entry("gateway.kubernetes.max-driver-memory", "32g"),
                Map.entry("gateway.kubernetes.max-executor-cores", "16"),
                Map.entry("gateway.kubernetes.max-executor-memory", "64g"),
                Map.entry("gateway.kubernetes.max-executors", "200"),
                Map.entry("gateway.kubernetes.stuck-timeout", "10m"),
                Map.entry("gateway.kubernetes.ttl", "2h"),
                Map.entry("gateway.kubernetes.request-timeout", "15s"),
                Map.entry("gateway.kubernetes.credentials-secret", "")));

        KubernetesConfig config = KubernetesConfig.from(properties);

        assertThat(KubernetesConfig.enabled(properties)).isTrue();
        assertThat(config).isEqualTo(new KubernetesConfig("https://10.0.0.1:6443", "jobs",
                Map.of("data-infra", "data-infra-jobs", "growth", "growth-jobs"), "registry.example.com/dcp-spark:{version}",
                "spark-operator-spark", 8, 32L << 30, 16, 64L << 30, 200, Duration.ofMinutes(10), Duration.ofHours(2),
                Duration.ofSeconds(15), ""));
        assertThat(config.namespaceOf("growth")).isEqualTo("growth-jobs");
        assertThat(config.image("4.0")).isEqualTo("registry.example.com/dcp-spark:4.0");
        assertThat(properties.unknownKeys()).isEmpty();
    }

    @Test
    void aNamespaceThatKubernetesWouldRefuseIsRefusedAtStart() {
        assertThatThrownBy(() -> KubernetesConfig.from(new ConfigProperties(Map.of("gateway.kubernetes.namespace", "Spark_Jobs"))))
                .hasMessage("gateway.kubernetes.namespace: \"Spark_Jobs\" is not a Kubernetes namespace name (lower-case"
                        + " letters, digits and '-', at most 63)");
        assertThatThrownBy(() -> KubernetesConfig.from(new ConfigProperties(Map.of("gateway.kubernetes.team-namespaces", "growth"))))
                .hasMessage("gateway.kubernetes.team-namespaces: \"growth\" is not team=namespace");
        assertThatThrownBy(() -> KubernetesConfig.from(new ConfigProperties(Map.of("gateway.kubernetes.image", "dcp-spark:3.5"))))
                .hasMessageContaining("does not name the runtime's version");
        assertThatThrownBy(() -> KubernetesConfig.from(new ConfigProperties(Map.of("gateway.kubernetes.credentials-secret",
                "Job Credentials"))))
                .hasMessageStartingWith("gateway.kubernetes.credentials-secret: \"Job Credentials\" is not a Secret name");
    }
}
