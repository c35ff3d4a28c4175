package com.doordash.pedregal.gateway.grpc;

import com.doordash.pedregal.model.auth.Authenticator;
import com.doordash.pedregal.model.auth.Caller;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The one mapping of the platform's errors to gRPC, for every gRPC endpoint of the platform (its APIs and the Spark
 * Connect proxy): the status of each {@link ErrorCode} (a code without a status does not compile), the message as
 * description, and the trailers {@value #ERROR_CODE_KEY} and {@value #ERROR_FIELD_KEY}; and the one way a call is
 * authenticated, the {@code authorization: Bearer <token>} metadata.
 */
public final class PlatformStatus {
    /** Name of the trailer with the platform's error code, for example {@code INVALID_REQUEST}. */
    public static final String ERROR_CODE_KEY = "dcp-error-code";
    /** Name of the trailer with the path of the field to blame, for example {@code config.spark_version}. */
    public static final String ERROR_FIELD_KEY = "dcp-error-field";
    /** The trailer with the platform's error code. */
    public static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of(ERROR_CODE_KEY, Metadata.ASCII_STRING_MARSHALLER);
    /** The trailer with the path of the field to blame. */
    public static final Metadata.Key<String> ERROR_FIELD = Metadata.Key.of(ERROR_FIELD_KEY, Metadata.ASCII_STRING_MARSHALLER);
    /** The metadata key of the bearer token. */
    public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private PlatformStatus() {
    }

    /** The status and trailers of {@code failure}. */
    public static StatusRuntimeException of(PlatformException failure) {
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE, failure.code().name());
        failure.field().filter(field -> !field.isEmpty()).ifPresent(field -> trailers.put(ERROR_FIELD, field));
        return status(failure.code()).withDescription(failure.getMessage()).asRuntimeException(trailers);
    }

    /** The gRPC status of a platform error code. */
    public static Status status(ErrorCode code) {
        return switch (code) {
            case INVALID_REQUEST, INVALID_MANIFEST, POLICY_VIOLATION, UNSUPPORTED_MEDIA_TYPE -> Status.INVALID_ARGUMENT;
            case JOB_NOT_FOUND, PLAYGROUND_NOT_FOUND, NOT_FOUND -> Status.NOT_FOUND;
            case JOB_ALREADY_FINISHED -> Status.FAILED_PRECONDITION;
            case IDEMPOTENCY_CONFLICT, PLAYGROUND_EXISTS -> Status.ALREADY_EXISTS;
            case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
            case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
            case REQUEST_TOO_LARGE -> Status.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case INTERNAL -> Status.INTERNAL;
        };
    }

    /** The caller of a call with {@code headers}; fails with {@link ErrorCode#UNAUTHENTICATED} without a valid token. */
    public static Caller authenticate(Authenticator authenticator, Metadata headers) {
        return authenticator.authenticate(headers.get(AUTHORIZATION));
    }
}
