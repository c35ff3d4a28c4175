package com.doordash.pedregal.server;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.nio.file.Path;

/**
 * Configuration of the server process.
 *
 * @param host the address REST and gRPC listen on; localhost only by default — key {@code server.host}
 * @param port the REST port; 0 picks a free one — {@code server.port}
 * @param grpcPort the gRPC port, on the same host; 0 picks a free one — {@code server.grpc-port}
 * @param dataDir where the database, the warehouse and the job logs live — {@code server.data-dir}
 * @param publicUrl the base of links the API hands out ({@code logs_url}); derived from host and port when
 *     empty — {@code server.public-url}
 * @param demoData whether the first start creates the demo table {@code pedregal.raw.events} — {@code server.demo-data}
 */
public record ServerConfig(String host, int port, int grpcPort, Path dataDir, String publicUrl, boolean demoData) {
    public ServerConfig {
        requireNonNull(host, "host is null");
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(publicUrl, "publicUrl is null");
    }

    /** Reads the {@code server.*} keys. */
    public static ServerConfig from(ConfigProperties properties) {
        return new ServerConfig(
                properties.string("server.host", "127.0.0.1"),
                properties.integer("server.port", 8080, 0, 65535),
                properties.integer("server.grpc-port", 9090, 0, 65535),
                properties.path("server.data-dir", Path.of("data")),
                properties.string("server.public-url", ""),
                properties.bool("server.demo-data", true));
    }

    /** The base URL of links, once the actual port is known. */
    public String publicUrl(int actualPort) {
        if (!publicUrl.isEmpty()) {
            return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        }
        String shownHost = host.equals("0.0.0.0") || host.equals("127.0.0.1") ? "localhost" : host;
        return "http://" + shownHost + ":" + actualPort;
    }
}
