package com.doordash.pedregal.server.grpc;

import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.runner.grpc.GrpcAuth;
import com.doordash.pedregal.server.DcpServer;
import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A real server with REST and gRPC on free ports, and helpers to call it. */
final class GrpcTestPlatform {
    /** The development token of user@doordash.com in team data-infra, created on first start. */
    static final String DEMO_TOKEN = "demo-token";
    static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GrpcTestPlatform() {
    }

    static DcpServer start(Path dataDir) {
        return DcpServer.start(new ConfigProperties(Map.of(
                "server.port", "0",
                "server.grpc-port", "0",
                "server.data-dir", dataDir.toString(),
                "runner.poll-interval", "100ms",
                "gateway.cancel-grace", "2s")));
    }

    static ManagedChannel channel(DcpServer server) {
        return NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    }

    static void close(ManagedChannel channel) throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** {@code stub} sending {@code authorization: Bearer <token>}, or no credentials when {@code token} is null. */
    static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        if (token == null) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(GrpcAuth.AUTHORIZATION, "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** A CoreETL spec reading pedregal.raw.events through {@code query} into a new table {@code pedregal.derived.<prefix>_<random>}. */
    static String specJson(String query, String sinkPrefix) {
        return """
                {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
                 "transformations": [{"type": "sql", "query": "%s"}],
                 "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "%s"}]}
                """.formatted(query, sinkPrefix + "_" + unique());
    }

    static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    /** GET {@code path} over REST with the demo token; the status code and the JSON body. */
    static Map.Entry<Integer, JsonNode> restGet(DcpServer server, String path) {
        return send(server, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET(), null);
    }

    /** POST {@code body} (JSON) over REST with the demo token. */
    static Map.Entry<Integer, JsonNode> restPost(DcpServer server, String path, String body) {
        return send(server, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)), "application/json");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Map.Entry<Integer, JsonNode> send(DcpServer server, HttpRequest.Builder request, String contentType) {
        request.header("Authorization", "Bearer " + DEMO_TOKEN).timeout(Duration.ofSeconds(60));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return Map.entry(response.statusCode(), Json.mapper().readTree(response.body()));
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
