package com.doordash.pedregal.runner.grpc;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.grpc.PlatformStatus;
import com.doordash.pedregal.model.auth.Authenticator;
import com.doordash.pedregal.model.auth.Caller;
import com.doordash.pedregal.model.error.PlatformException;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Every call must carry the metadata {@code authorization: Bearer <token>}, the same value as the REST API's
 * {@code Authorization} header. The caller it stands for is put in the call's {@link Context}, where
 * {@link #caller()} finds it; a missing or invalid token closes the call with UNAUTHENTICATED.
 */
public final class GrpcAuth implements ServerInterceptor {
    /** The metadata key of the bearer token. */
    public static final Metadata.Key<String> AUTHORIZATION = PlatformStatus.AUTHORIZATION;
    private static final Context.Key<Caller> CALLER = Context.key("dcp-caller");

    private final Authenticator authenticator;

    /** An interceptor checking tokens with {@code authenticator}. */
    public GrpcAuth(Authenticator authenticator) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        Caller caller;
        try {
            caller = PlatformStatus.authenticate(authenticator, headers);
        }
        catch (PlatformException e) {
            GrpcErrors.close(call, e);
            return new ServerCall.Listener<>() {
            };
        }
        return Contexts.interceptCall(Context.current().withValue(CALLER, caller), call, headers, next);
    }

    /** The authenticated caller of the current call; fails outside a call that passed this interceptor. */
    public static Caller caller() {
        Caller caller = CALLER.get();
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller: the service is not behind GrpcAuth");
        }
        return caller;
    }
}
