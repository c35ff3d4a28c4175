package com.doordash.pedregal.runner.grpc;

import com.doordash.pedregal.gateway.grpc.PlatformStatus;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become gRPC statuses. Handlers throw (or pass to {@code onError}) a
 * {@link PlatformException}; this interceptor closes the call with the status of its code, the exception's
 * message as description, and the trailers {@value #ERROR_CODE_KEY} (the platform's code) and
 * {@value #ERROR_FIELD_KEY} (the field to blame, when there is one). Any other exception is logged and
 * answered as INTERNAL without its details.
 */
public final class GrpcErrors implements ServerInterceptor {
    private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

    /** Name of the trailer with the platform's error code, for example {@code INVALID_REQUEST}. */
    public static final String ERROR_CODE_KEY = PlatformStatus.ERROR_CODE_KEY;
    /** Name of the trailer with the path of the field to blame, for example {@code config.spark_version}. */
    public static final String ERROR_FIELD_KEY = PlatformStatus.ERROR_FIELD_KEY;
    /** The trailer with the platform's error code. */
    public static final Metadata.Key<String> ERROR_CODE = PlatformStatus.ERROR_CODE;
    /** The trailer with the path of the field to blame. */
    public static final Metadata.Key<String> ERROR_FIELD = PlatformStatus.ERROR_FIELD;

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        MappingCall<Q, A> mapping = new MappingCall<>(call);
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(mapping, headers);
        }
        catch (RuntimeException e) {
            mapping.fail(e);
            return new ServerCall.Listener<>() {
            };
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                try {
                    super.onMessage(message);
                }
                catch (RuntimeException e) {
                    mapping.fail(e);
                }
            }

            @Override
            public void onHalfClose() {
                // Unary handlers run here.
                try {
                    super.onHalfClose();
                }
                catch (RuntimeException e) {
                    mapping.fail(e);
                }
            }

            @Override
            public void onReady() {
                try {
                    super.onReady();
                }
                catch (RuntimeException e) {
                    mapping.fail(e);
                }
            }
        };
    }

    /** Closes {@code call} with the status and trailers {@code failure} maps to. */
    static void close(ServerCall<?, ?> call, Throwable failure) {
        StatusRuntimeException mapped = toStatusException(failure, call.getMethodDescriptor().getFullMethodName());
        call.close(mapped.getStatus(), mapped.getTrailers() == null ? new Metadata() : mapped.getTrailers());
    }

    /**
     * The status and trailers of {@code failure}: a {@link PlatformException} by its code, a gRPC status
     * exception as it is, anything else as INTERNAL (logged, with {@code method} for context).
     */
    static StatusRuntimeException toStatusException(Throwable failure, String method) {
        if (failure instanceof StatusRuntimeException status) {
            return status;
        }
        if (failure instanceof StatusException status) {
            return new StatusRuntimeException(status.getStatus(), status.getTrailers());
        }
        if (failure instanceof PlatformException platform) {
            if (platform.code().httpStatus() >= 500 && platform.code() != ErrorCode.UNAVAILABLE) {
                log.error("gRPC {} failed", method, platform);
            }
            return PlatformStatus.of(platform);
        }
        log.error("gRPC {} failed", method, failure);
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE, ErrorCode.INTERNAL.name());
        return Status.INTERNAL
                .withDescription("internal error: " + failure.getClass().getSimpleName() + " (see the server log)")
                .asRuntimeException(trailers);
    }

    /**
     * A call that maps whatever it is closed with (a failure a handler passed to {@code onError} arrives as
     * UNKNOWN with that failure as cause) and is closed at most once.
     */
    private static final class MappingCall<Q, A> extends ForwardingServerCall.SimpleForwardingServerCall<Q, A> {
        private boolean closed;

        MappingCall(ServerCall<Q, A> call) {
            super(call);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            if (closed) {
                return;
            }
            closed = true;
            Throwable cause = status.getCause();
            if (status.getCode() == Status.Code.UNKNOWN && cause != null
                    && !(cause instanceof StatusRuntimeException) && !(cause instanceof StatusException)) {
                StatusRuntimeException mapped = toStatusException(cause, getMethodDescriptor().getFullMethodName());
                trailers.merge(mapped.getTrailers());
                super.close(mapped.getStatus(), trailers);
                return;
            }
            super.close(status, trailers);
        }

        void fail(Throwable failure) {
            if (closed) {
                log.warn("gRPC {} failed after it answered", getMethodDescriptor().getFullMethodName(), failure);
                return;
            }
            StatusRuntimeException mapped = toStatusException(failure, getMethodDescriptor().getFullMethodName());
            close(mapped.getStatus(), mapped.getTrailers() == null ? new Metadata() : mapped.getTrailers());
        }
    }
}
