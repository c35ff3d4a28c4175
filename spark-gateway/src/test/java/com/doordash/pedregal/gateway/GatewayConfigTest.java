package com.doordash.pedregal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class GatewayConfigTest {
    private static final Path DATA = Path.of("/tmp/dcp-data");

    @Test
    void defaultsAreWhatTheReadmeSays() {
        ConfigProperties properties = new ConfigProperties(Map.of());

        GatewayConfig config = GatewayConfig.from(properties, DATA, Map.of());

        assertThat(config).isEqualTo(new GatewayConfig(
                GatewayConfig.defaultRuntimesDir().toAbsolutePath().normalize(),
                DATA.resolve("runs"),
                DATA.resolve("warehouse"),
                Path.of(System.getProperty("java.home")),
                Duration.ofSeconds(5),
                new SandboxConfig(SandboxConfig.Mode.AUTO, 200_000, 32),
                new CatalogConfig(CatalogConfig.Type.HADOOP, DATA.resolve("warehouse").toUri(), null, null, null, null, null,
                        new S3Config(null, "us-east-1", false, null, null))));
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
                Map.entry("gateway.sandbox.users", "8"),
                Map.entry("gateway.catalog.type", "jdbc"),
                Map.entry("gateway.catalog.uri", "jdbc:postgresql://127.0.0.1:5432/catalog"),
                Map.entry("gateway.catalog.warehouse", "s3://tables/warehouse"),
                Map.entry("gateway.catalog.jdbc.user", "iceberg"),
                Map.entry("gateway.catalog.jdbc.password", "pw"),
                Map.entry("gateway.catalog.rest.token", "t"),
                Map.entry("gateway.catalog.rest.credential", "id:secret"),
                Map.entry("gateway.s3.endpoint", "http://127.0.0.1:9000"),
                Map.entry("gateway.s3.region", "eu-west-1"),
                Map.entry("gateway.s3.path-style-access", "true"),
                Map.entry("gateway.s3.access-key-id", "AKIA"),
                Map.entry("gateway.s3.secret-access-key", "s3cr3t")));

        GatewayConfig config = GatewayConfig.from(properties, DATA, Map.of());

        assertThat(config).isEqualTo(new GatewayConfig(Path.of("/opt/runtimes"), Path.of("/var/runs"),
                Path.of("/var/warehouse"), Path.of("/usr/lib/jvm/java-17"), Duration.ofMillis(1500), new SandboxConfig(SandboxConfig.Mode.UIDS, 300_000, 8),
                new CatalogConfig(CatalogConfig.Type.JDBC, URI.create("s3://tables/warehouse"),
                        "jdbc:postgresql://127.0.0.1:5432/catalog", "iceberg", "pw", "t", "id:secret",
                        new S3Config(URI.create("http://127.0.0.1:9000"), "eu-west-1", true, "AKIA", "s3cr3t"))));
        assertThat(properties.unknownKeys()).isEmpty();
    }
}
