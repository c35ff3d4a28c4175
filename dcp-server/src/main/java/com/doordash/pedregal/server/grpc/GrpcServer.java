package com.doordash.pedregal.server.grpc;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.auth.Authenticator;
import com.doordash.pedregal.runner.JobRunner;
import com.doordash.pedregal.runner.grpc.GrpcServices;
import com.doordash.pedregal.runner.grpc.SparkRunnerGrpcService;
import com.doordash.pedregal.server.JobViews;
import com.doordash.pedregal.server.SpecTester;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The platform's gRPC port: {@code dcp.spark.v1.DCPSparkService} and {@code spark.runner.v1.SparkRunnerService}
 * over the same runner as REST, both authenticated by bearer token, plus server reflection (v1 and v1alpha,
 * unauthenticated: it shows only the schema) for tools such as grpcurl.
 */
public final class GrpcServer implements AutoCloseable {
    /** The largest request accepted, as for REST bodies. */
    private static final int MAX_REQUEST_BYTES = 1_000_000;

    private final Server server;

    private GrpcServer(Server server) {
        this.server = server;
    }

    /** Starts serving on {@code host}:{@code port} (0: a free port). */
    @SuppressWarnings("deprecation") // v1alpha reflection, still the only one older grpcurl versions ask for
    public static GrpcServer start(String host, int port, JobRunner runner, JobViews views, SpecTester tester,
            Authenticator authenticator) {
        requireNonNull(host, "host is null");
        requireNonNull(runner, "runner is null");
        requireNonNull(views, "views is null");
        requireNonNull(authenticator, "authenticator is null");
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port), InsecureServerCredentials.create())
                .maxInboundMessageSize(MAX_REQUEST_BYTES)
                .addService(GrpcServices.secured(new DcpSparkGrpcService(runner, views, tester), authenticator))
                .addService(GrpcServices.secured(new SparkRunnerGrpcService(runner, views::logsUrl), authenticator))
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(io.grpc.protobuf.services.ProtoReflectionService.newInstance())
                .build();
        try {
            server.start();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot listen for gRPC on " + host + ":" + port, e);
        }
        return new GrpcServer(server);
    }

    /** The port it listens on. */
    public int port() {
        return server.getPort();
    }

    /** Stops taking calls and gives running ones a few seconds to end. */
    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
