package com.doordash.pedregal.runner.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class PolicyConfigTest {
    @Test
    void defaultsAreWhatTheReadmeSays() {
        PolicyConfig config = PolicyConfig.from(new ConfigProperties(Map.of()));

        assertThat(config.sparkConfigAllowed()).startsWith("spark.sql.*", "spark.executor.memory").contains(
                "spark.dynamicAllocation.maxExecutors", "spark.default.parallelism");
        assertThat(config.sparkConfigDenied()).isEmpty();
        assertThat(config.customCodeTeams()).isEmpty();
        assertThat(config.customCodeSparkConfig()).containsExactly("spark.jars", "spark.plugins",
                "spark.sql.queryExecutionListeners", "spark.kryo.registrator", "spark.kryo.classesToRegister",
                "spark.serializer");
        assertThat(config.jarLocations()).isEmpty();
        assertThat(config.envVarsDenied()).contains("LD_*", "JAVA_TOOL_OPTIONS", "PATH", "CLASSPATH", "SPARK_*",
                "HADOOP_*", "BASH_ENV");
        assertThat(config.writeNamespaces()).isEqualTo(Map.of("data-infra", List.of("derived")));
        assertThat(config.callbackAllowedHosts()).containsExactly("*");
    }

    @Test
    void everyKeyMaps() {
        ConfigProperties properties = new ConfigProperties(Map.ofEntries(
                Map.entry("policy.spark-config.allowed", "spark.sql.*, spark.executor.memory"),
                Map.entry("policy.spark-config.denied", "spark.sql.adaptive.*"),
                Map.entry("policy.custom-code.teams", "ml, data-infra"),
                Map.entry("policy.custom-code.spark-config", "spark.jars"),
                Map.entry("policy.custom-code.jar-locations", "/opt/jars, https://repo.example.com/jars/"),
                Map.entry("policy.env-vars.denied", "LD_*"),
                Map.entry("policy.write-namespaces.ads", "ads, ads_*"),
                Map.entry("policy.write-namespaces.growth", "growth"),
                Map.entry("policy.callbacks.allowed-hosts", "hooks.example.com, 127.0.0.1:8099")));

        assertThat(PolicyConfig.from(properties)).isEqualTo(new PolicyConfig(
                List.of("spark.sql.*", "spark.executor.memory"), List.of("spark.sql.adaptive.*"), Set.of("ml", "data-infra"),
                List.of("spark.jars"), List.of("/opt/jars", "https://repo.example.com/jars/"), List.of("LD_*"),
                Map.of("data-infra", List.of("derived"), "ads", List.of("ads", "ads_*"), "growth", List.of("growth")),
                List.of("hooks.example.com", "127.0.0.1:8099")));
        assertThat(properties.unknownKeys()).isEmpty();
    }

    @Test
    void theDefaultGrantOfDataInfraCanBeWithdrawn() {
        assertThat(PolicyConfig.from(new ConfigProperties(Map.of("policy.write-namespaces.data-infra", "")))
                .writeNamespaces()).isEqualTo(Map.of("data-infra", List.of()));
    }

    @Test
    void aGrantCannotNameThePlaygroundsNamespaces() {
        assertThatThrownBy(() -> PolicyConfig.from(new ConfigProperties(Map.of("policy.write-namespaces.ads", "pg_*"))))
                .hasMessage("policy.write-namespaces.ads: \"pg_*\" is not a namespace pattern (letters, digits, '_', and"
                        + " '*' after the first character; not pg_*, the playgrounds')");
        assertThatThrownBy(() -> PolicyConfig.from(new ConfigProperties(Map.of("policy.write-namespaces.ads", "*"))))
                .hasMessageContaining("is not a namespace pattern");
    }

    @Test
    void aJarLocationIsAnAbsoluteFolderOrAnHttpPrefix() {
        assertThatThrownBy(() -> PolicyConfig.from(new ConfigProperties(Map.of("policy.custom-code.jar-locations", "jars"))))
                .hasMessage("policy.custom-code.jar-locations: \"jars\" is neither an absolute folder nor an http(s):// prefix");
    }

    @Test
    void aCallbackHostWithABadPortIsRefusedAtStart() {
        assertThatThrownBy(() -> PolicyConfig.from(new ConfigProperties(Map.of("policy.callbacks.allowed-hosts", "h:99999"))))
                .hasMessage("policy.callbacks.allowed-hosts: \"h:99999\" has no valid port (expected host, *.domain, host:port or *)");
    }
}
