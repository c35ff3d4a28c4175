package com.doordash.pedregal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ServerConfigTest {
    @Test
    void defaultsAreWhatTheReadmeSays() {
        ServerConfig config = ServerConfig.from(new ConfigProperties(Map.of()));

        assertThat(config).isEqualTo(new ServerConfig("127.0.0.1", 8080, 9090, Path.of("data").toAbsolutePath(), "", true));
        assertThat(config.publicUrl(8080)).isEqualTo("http://localhost:8080");
    }

    @Test
    void everyKeyMaps() {
        ConfigProperties properties = new ConfigProperties(Map.of(
                "server.host", "0.0.0.0",
                "server.port", "9090",
                "server.grpc-port", "9191",
                "server.data-dir", "/srv/dcp",
                "server.public-url", "https://dcp.example.com/",
                "server.demo-data", "false"));

        ServerConfig config = ServerConfig.from(properties);

        assertThat(config).isEqualTo(new ServerConfig("0.0.0.0", 9090, 9191, Path.of("/srv/dcp"), "https://dcp.example.com/", false));
        assertThat(config.publicUrl(9090)).isEqualTo("https://dcp.example.com");
        assertThat(properties.unknownKeys()).isEmpty();
    }

    @Test
    void argumentsWinOverTheConfigFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("dcp.properties");
        java.nio.file.Files.writeString(file, "server.port=9000\nserver.host=0.0.0.0\n");

        Map<String, String> values = DcpServerMain.parse(new String[] {"--config", file.toString(), "--server.port=9100"});

        assertThat(values).containsEntry("server.port", "9100").containsEntry("server.host", "0.0.0.0");
    }

    @Test
    void unknownKeysStopTheStart() {
        assertThatThrownBy(() -> DcpServer.start(new ConfigProperties(Map.of("server.prot", "1", "server.demo-data", "false"))))
                .hasMessage("unknown configuration key(s): server.prot");
    }

    @Test
    void anUnreachableCatalogOrUnknownCatalogTypeStopsTheStartBeforeAnythingListens(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        int restPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            restPort = socket.getLocalPort();
        }
        Map<String, String> properties = Map.of(
                "server.data-dir", dir.toString(), "server.port", Integer.toString(restPort), "server.grpc-port", "0",
                "gateway.catalog.type", "jdbc",
                "gateway.catalog.uri", "jdbc:postgresql://127.0.0.1:" + closed + "/catalog",
                "gateway.catalog.warehouse", "s3://tables/warehouse");

        assertThatThrownBy(() -> DcpServer.start(new ConfigProperties(properties)))
                .hasMessageStartingWith("gateway.catalog.uri: the jdbc catalog at jdbc:postgresql://127.0.0.1:" + closed
                        + "/catalog does not answer: ");
        // Nothing started half-way: the REST port is free.
        try (java.net.ServerSocket socket = new java.net.ServerSocket(restPort, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(restPort);
        }
        assertThatThrownBy(() -> DcpServer.start(new ConfigProperties(Map.of("server.data-dir", dir.toString(),
                "gateway.catalog.type", "glue"))))
                .hasMessage("gateway.catalog.type: \"glue\" is not a catalog type (expected hadoop, jdbc or rest)");
    }

    @Test
    void strayArgumentIsRejected() {
        assertThatThrownBy(() -> DcpServerMain.parse(new String[] {"start"}))
                .hasMessage("unexpected argument: start");
    }
}
