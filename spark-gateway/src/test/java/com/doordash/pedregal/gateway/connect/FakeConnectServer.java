package com.doordash.pedregal.gateway.connect;

import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Spark Connect server as far as the test cluster's supervisor sees it, on 127.0.0.1: answers {@code Config} with an
 * empty response and keeps the {@code authorization} each call carried. It plays what only a cluster could run (the
 * driver pod of the test cluster on Kubernetes); it is not Spark.
 */
public final class FakeConnectServer implements AutoCloseable {
    private final Queue<String> authorizations = new ConcurrentLinkedQueue<>();
    private final Server server;

    /** Listens on 127.0.0.1:{@code port} (0 for any free port). */
    public FakeConnectServer(int port) {
        MethodDescriptor<byte[], byte[]> config = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(UserContexts.SERVICE + "/Config")
                .setRequestMarshaller(SparkConnectProxy.BYTES).setResponseMarshaller(SparkConnectProxy.BYTES).build();
        ServerServiceDefinition service = ServerServiceDefinition.builder(UserContexts.SERVICE)
                .addMethod(config, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(new byte[0]);
                    response.onCompleted();
                }))
                .build();
        ServerInterceptor keepAuthorization = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                    ServerCallHandler<Q, A> next) {
                authorizations.add(String.valueOf(headers.get(SparkConnectProxy.AUTHORIZATION)));
                return Contexts.interceptCall(io.grpc.Context.current(), call, headers, next);
            }
        };
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .addService(ServerInterceptors.intercept(service, keepAuthorization))
                    .build().start();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** The {@code authorization} header of every call so far. */
    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
