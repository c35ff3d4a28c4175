package com.doordash.pedregal.gateway.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class StandaloneConfigTest {
    @Test
    void defaultsAreWhatTheJavadocSays() {
        ConfigProperties properties = new ConfigProperties(Map.of());

        StandaloneConfig config = StandaloneConfig.from(properties);

        assertThat(config).isEqualTo(new StandaloneConfig(URI.create("spark://127.0.0.1:7077"),
                URI.create("http://127.0.0.1:6066"), URI.create("http://127.0.0.1:8080"), "3.5", null,
                Duration.ofSeconds(10), Duration.ofSeconds(30)));
        assertThat(properties.unknownKeys()).isEmpty();
    }

    @Test
    void restAndUiUrlsDefaultToTheMastersHost() {
        StandaloneConfig config = StandaloneConfig.from(new ConfigProperties(Map.of(
                "gateway.standalone.master", "spark://spark-master.internal:7077")));

        assertThat(config.restUrl()).isEqualTo(URI.create("http://spark-master.internal:6066"));
        assertThat(config.uiUrl()).isEqualTo(URI.create("http://spark-master.internal:8080"));
    }

    @Test
    void everyKeyMaps() {
        ConfigProperties properties = new ConfigProperties(Map.of(
                "gateway.standalone.master", "spark://10.0.0.5:7078",
                "gateway.standalone.rest-url", "http://10.0.0.5:16066/",
                "gateway.standalone.ui-url", "https://spark.example.com",
                "gateway.standalone.spark-version", "4.0",
                "gateway.standalone.worker-runtime-home", "/opt/dcp/runtimes/4.0",
                "gateway.standalone.request-timeout", "2s",
                "gateway.standalone.kill-timeout", "1m"));

        StandaloneConfig config = StandaloneConfig.from(properties);

        assertThat(config).isEqualTo(new StandaloneConfig(URI.create("spark://10.0.0.5:7078"),
                URI.create("http://10.0.0.5:16066"), URI.create("https://spark.example.com"), "4.0",
                Path.of("/opt/dcp/runtimes/4.0"), Duration.ofSeconds(2), Duration.ofMinutes(1)));
        assertThat(properties.unknownKeys()).isEmpty();
    }

    @Test
    void badUrlsFailNamingTheKey() {
        assertThatThrownBy(() -> StandaloneConfig.from(new ConfigProperties(Map.of(
                "gateway.standalone.master", "127.0.0.1:7077"))))
                .hasMessage("gateway.standalone.master: \"127.0.0.1:7077\" is not valid"
                        + " (expected a master URL like spark://127.0.0.1:7077)");
        assertThatThrownBy(() -> StandaloneConfig.from(new ConfigProperties(Map.of(
                "gateway.standalone.rest-url", "spark://127.0.0.1:6066"))))
                .hasMessage("gateway.standalone.rest-url: \"spark://127.0.0.1:6066\" is not valid"
                        + " (expected an HTTP URL like http://127.0.0.1:6066)");
    }
}
