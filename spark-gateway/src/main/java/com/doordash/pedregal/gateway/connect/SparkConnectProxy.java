package com.doordash.pedregal.gateway.connect;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.grpc.PlatformStatus;
import com.doordash.pedregal.model.auth.Authenticator;
import com.doordash.pedregal.model.auth.Caller;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.HandlerRegistry;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark Connect endpoint users reach ({@code sc://host:15002/;token=<token>}): a byte-level gRPC proxy to the
 * {@link TestCluster}. For every call of {@code spark.connect.SparkConnectService} it
 * <ul>
 *   <li>refuses what the read-only cluster must not see ({@link ConnectRequests}: artifacts, writes, path reads, UDFs,
 *       caching, global views, storage settings) with PERMISSION_DENIED and a message naming it;</li>
 *   <li>authenticates the {@code authorization: Bearer <token>} metadata with the platform's {@link Authenticator}
 *       (UNAUTHENTICATED otherwise, never echoing the token),</li>
 *   <li>sets {@code user_context.user_id} of every request message to the authenticated user: Spark Connect keys
 *       sessions by (user id, session id), so nobody reaches another user's session,</li>
 *   <li>replaces the user's token by the cluster's own secret, and forwards the call, streaming both ways;</li>
 *   <li>answers UNAVAILABLE with {@value #RESTARTING} while the cluster is not up.</li>
 * </ul>
 * Other methods answer UNIMPLEMENTED.
 */
public final class SparkConnectProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SparkConnectProxy.class);
    /** The metadata key of the bearer token. */
    static final Metadata.Key<String> AUTHORIZATION = PlatformStatus.AUTHORIZATION;
    /** What a caller reads while the cluster is not up. */
    public static final String RESTARTING = "the test cluster is restarting; retry in a few seconds";
    /** Spark Connect's own limit for messages (its client's default). */
    private static final int MAX_MESSAGE_BYTES = 128 << 20;
    private static final int MAX_METADATA_BYTES = 1 << 20;
    static final MethodDescriptor.Marshaller<byte[]> BYTES = new ByteMarshaller();

    private final TestCluster cluster;
    private final Authenticator authenticator;
    private final Server server;
    private final Object lock = new Object();
    // Guarded by lock: the channel to the cluster's current server.
    private ManagedChannel channel;
    private long channelGeneration = -1;

    /**
     * A proxy listening on {@code host}:{@code port} (0 for a free port) in front of {@code cluster}, authenticating
     * callers with {@code authenticator}; {@link #start()} opens the port.
     */
    public SparkConnectProxy(String host, int port, TestCluster cluster, Authenticator authenticator) {
        requireNonNull(host, "host is null");
        this.cluster = requireNonNull(cluster, "cluster is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port), InsecureServerCredentials.create())
                .fallbackHandlerRegistry(new Registry())
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .maxInboundMetadataSize(MAX_METADATA_BYTES)
                .build();
    }

    /** Opens the port. */
    public SparkConnectProxy start() {
        try {
            server.start();
        }
        catch (IOException e) {
            throw new UncheckedIOException("test-cluster.proxy-port: cannot listen on port " + server.getListenSockets(), e);
        }
        log.info("Spark Connect proxy listening on port {}", port());
        return this;
    }

    /** The port it listens on. */
    public int port() {
        return server.getPort();
    }

    /** Closes the port and the connections to the cluster. */
    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        }
        catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            if (channel != null) {
                channel.shutdownNow();
                channel = null;
            }
        }
    }

    /** The channel to the cluster's current server; a restarted server gets a fresh channel. */
    private ManagedChannel channel(TestCluster.Upstream upstream) {
        synchronized (lock) {
            if (channel == null || channelGeneration != upstream.generation()) {
                if (channel != null) {
                    channel.shutdown();
                }
                channel = NettyChannelBuilder.forTarget(upstream.target())
                        .usePlaintext()
                        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                        .maxInboundMetadataSize(MAX_METADATA_BYTES)
                        .build();
                channelGeneration = upstream.generation();
            }
            return channel;
        }
    }

    private final class Registry extends HandlerRegistry {
        @Override
        public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
            return UserContexts.userContextField(methodName)
                    .map(field -> ServerMethodDefinition.create(
                            MethodDescriptor.newBuilder(BYTES, BYTES)
                                    .setFullMethodName(methodName)
                                    .setType(MethodDescriptor.MethodType.UNKNOWN)
                                    .build(),
                            new Forward(field)))
                    .orElse(null);
        }
    }

    /** Forwards one call, as grpc-java's example GrpcProxy does, rewriting each request message. */
    private final class Forward implements ServerCallHandler<byte[], byte[]> {
        private final int userContextField;

        Forward(int userContextField) {
            this.userContextField = userContextField;
        }

        @Override
        public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> serverCall, Metadata headers) {
            Caller caller;
            try {
                caller = PlatformStatus.authenticate(authenticator, headers);
            }
            catch (PlatformException e) {
                close(serverCall, e);
                return new ServerCall.Listener<>() {
                };
            }
            Optional<TestCluster.Upstream> upstream = cluster.upstream();
            if (upstream.isEmpty()) {
                close(serverCall, new PlatformException(ErrorCode.UNAVAILABLE, RESTARTING));
                return new ServerCall.Listener<>() {
                };
            }
            headers.discardAll(AUTHORIZATION);
            headers.put(AUTHORIZATION, upstream.get().authorization());
            CallOptions options = CallOptions.DEFAULT;
            Deadline deadline = Context.current().getDeadline();
            if (deadline != null) {
                options = options.withDeadline(deadline);
            }
            ClientCall<byte[], byte[]> clientCall = channel(upstream.get()).newCall(serverCall.getMethodDescriptor(), options);
            String method = serverCall.getMethodDescriptor().getFullMethodName();
            CallProxy proxy = new CallProxy(serverCall, clientCall, caller.user(), userContextField,
                    method.substring(method.lastIndexOf('/') + 1));
            clientCall.start(proxy.responses, headers);
            serverCall.request(1);
            clientCall.request(1);
            return proxy.requests;
        }
    }

    private static final class CallProxy {
        final RequestProxy requests;
        final ResponseProxy responses;

        CallProxy(ServerCall<byte[], byte[]> serverCall, ClientCall<byte[], byte[]> clientCall, String userId,
                int userContextField, String method) {
            requests = new RequestProxy(clientCall, userId, userContextField, method);
            responses = new ResponseProxy(serverCall);
        }

        /** From the user to the cluster. */
        private final class RequestProxy extends ServerCall.Listener<byte[]> {
            private final ClientCall<byte[], byte[]> clientCall;
            private final String userId;
            private final int userContextField;
            private final String method;
            private boolean needToRequest; // guarded by this
            private volatile boolean failed;

            RequestProxy(ClientCall<byte[], byte[]> clientCall, String userId, int userContextField, String method) {
                this.clientCall = clientCall;
                this.userId = userId;
                this.userContextField = userContextField;
                this.method = method;
            }

            @Override
            public void onMessage(byte[] message) {
                if (failed) {
                    return;
                }
                Optional<String> refused = ConnectRequests.refusal(method, message);
                if (refused.isPresent()) {
                    failed = true;
                    log.info("Spark Connect {} of user {} refused: {}", method, userId, refused.get());
                    responses.failed(new PlatformException(ErrorCode.PERMISSION_DENIED, refused.get()));
                    clientCall.cancel("refused by the proxy", null);
                    return;
                }
                byte[] rewritten;
                try {
                    rewritten = UserContexts.withUserId(message, userContextField, userId);
                }
                catch (InvalidProtocolBufferException e) {
                    failed = true;
                    responses.failed(new PlatformException(ErrorCode.INVALID_REQUEST, "malformed Spark Connect request: "
                            + e.getMessage()));
                    clientCall.cancel("malformed request", null);
                    return;
                }
                clientCall.sendMessage(rewritten);
                synchronized (this) {
                    if (clientCall.isReady()) {
                        responses.serverCall.request(1);
                    }
                    else {
                        needToRequest = true;
                    }
                }
            }

            @Override
            public void onHalfClose() {
                if (!failed) {
                    clientCall.halfClose();
                }
            }

            @Override
            public void onCancel() {
                clientCall.cancel("the caller cancelled", null);
            }

            @Override
            public void onReady() {
                responses.onServerReady();
            }

            synchronized void onClientReady() {
                if (needToRequest) {
                    responses.serverCall.request(1);
                    needToRequest = false;
                }
            }
        }

        /** From the cluster back to the user. */
        private final class ResponseProxy extends ClientCall.Listener<byte[]> {
            private final ServerCall<byte[], byte[]> serverCall;
            private boolean needToRequest; // guarded by this
            private PlatformException failure; // guarded by this

            ResponseProxy(ServerCall<byte[], byte[]> serverCall) {
                this.serverCall = serverCall;
            }

            synchronized void failed(PlatformException refusal) {
                failure = refusal;
            }

            @Override
            public void onHeaders(Metadata headers) {
                serverCall.sendHeaders(headers);
            }

            @Override
            public void onMessage(byte[] message) {
                serverCall.sendMessage(message);
                synchronized (this) {
                    if (serverCall.isReady()) {
                        requests.clientCall.request(1);
                    }
                    else {
                        needToRequest = true;
                    }
                }
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                PlatformException own;
                synchronized (this) {
                    own = failure;
                }
                if (own != null) {
                    close(serverCall, own);
                }
                else if (status.getCode() == Status.Code.UNAVAILABLE) {
                    // The cluster died under the call, or is being restarted.
                    close(serverCall, new PlatformException(ErrorCode.UNAVAILABLE, RESTARTING));
                }
                else {
                    serverCall.close(status, trailers);
                }
            }

            @Override
            public void onReady() {
                requests.onClientReady();
            }

            synchronized void onServerReady() {
                if (needToRequest) {
                    requests.clientCall.request(1);
                    needToRequest = false;
                }
            }
        }
    }

    private static final class ByteMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            }
            catch (IOException e) {
                throw Status.INTERNAL.withDescription("cannot read a message").withCause(e).asRuntimeException();
            }
        }
    }

    /** Closes {@code call} as every gRPC endpoint of the platform answers {@code failure}. */
    private static void close(ServerCall<?, ?> call, PlatformException failure) {
        StatusRuntimeException mapped = PlatformStatus.of(failure);
        call.close(mapped.getStatus(), mapped.getTrailers());
    }
}
