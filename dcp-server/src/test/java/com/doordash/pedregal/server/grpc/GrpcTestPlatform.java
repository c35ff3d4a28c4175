package com.doordash.pedregal.server.grpc;

import com.doordash.pedregal.runner.grpc.GrpcAuth;
import com.doordash.pedregal.server.DcpServer;
import com.doordash.pedregal.server.TestPlatform;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A real server with REST and gRPC on free ports, and helpers to call it. */
final class GrpcTestPlatform {
    /** The development token of user@doordash.com in team data-infra, created on first start. */
    static final String DEMO_TOKEN = "demo-token";
    static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);

    private GrpcTestPlatform() {
    }

    static DcpServer start(Path dataDir) {
        return TestPlatform.start(dataDir);
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
}
