package com.doordash.pedregal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class GatewayConfigTest {
    private static final Path DATA = Path.of("/tmp/dcp-data");

    @Test
    void defaultsAreWhatTheReadmeSays() {
        ConfigProperties properties = new ConfigProperties(Map.of());

        GatewayConfig config = GatewayConfig.from(properties, DATA);

        assertThat(config).isEqualTo(new GatewayConfig(
                GatewayConfig.defaultRuntimesDir().toAbsolutePath().normalize(),
                DATA.resolve("runs"),
                DATA.resolve("warehouse"),
                Path.of(System.getProperty("java.home")),
                Duration.ofSeconds(5),
                new SandboxConfig(SandboxConfig.Mode.AUTO, 200_000, 32)));
        assertThat(properties.unknownKeys()).isEmpty();
    }

    @Test
    void everyKeyMaps() {
        ConfigProperties properties = new ConfigProperties(Map.ofEntries(
                Map.entry("gateway.runtimes-dir", "/opt/runtimes"),
                Map.entry("gateway.runs-dir", "/var/runs"),
                Map.entry("gateway.warehouse-dir", "/var/warehouse"),
                Map.entry("gateway.java-home", "/usr/lib/jvm/java-17"),
                Map.entry("gateway.cancel-grace", "1500ms"),
                Map.entry("gateway.sandbox.mode", "uids"),
                Map.entry("gateway.sandbox.first-uid", "300000"),
                Map.entry("gateway.sandbox.users", "8")));

        GatewayConfig config = GatewayConfig.from(properties, DATA);

        assertThat(config).isEqualTo(new GatewayConfig(Path.of("/opt/runtimes"), Path.of("/var/runs"),
                Path.of("/var/warehouse"), Path.of("/usr/lib/jvm/java-17"), Duration.ofMillis(1500), new SandboxConfig(SandboxConfig.Mode.UIDS, 300_000, 8)));
        assertThat(properties.unknownKeys()).isEmpty();
    }
}
