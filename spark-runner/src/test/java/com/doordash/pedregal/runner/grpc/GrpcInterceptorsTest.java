package com.doordash.pedregal.runner.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.doordash.pedregal.model.auth.Authenticator;
import com.doordash.pedregal.model.auth.Caller;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.model.error.Violation;
import com.doordash.pedregal.runner.grpc.v1.CheckRequest;
import com.doordash.pedregal.runner.grpc.v1.CheckResponse;
import com.doordash.pedregal.runner.grpc.v1.Execution;
import com.doordash.pedregal.runner.grpc.v1.SparkRunnerServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Authentication and error mapping of every gRPC API, on an in-process server with a service that fails on demand. */
final class GrpcInterceptorsTest {
    private static final String SERVER_NAME = "grpc-interceptors-test";
    private static final Authenticator AUTHENTICATOR = header -> {
        if (!Authenticator.bearerToken(header).equals("good-token")) {
            throw Authenticator.unauthenticated("unknown token");
        }
        return new Caller("user@doordash.com", Set.of("data-infra"), false);
    };

    private static Server server;
    private static ManagedChannel channel;

    @BeforeAll
    static void startServer() throws IOException {
        server = InProcessServerBuilder.forName(SERVER_NAME)
                .directExecutor()
                .addService(GrpcServices.secured(new FailingService(), AUTHENTICATOR))
                .build()
                .start();
        channel = InProcessChannelBuilder.forName(SERVER_NAME).directExecutor().build();
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void callerOfTheTokenIsInTheContext() {
        Execution answer = stub("Bearer good-token").check(CheckRequest.newBuilder().setExecutionId("whoami").build()).getExecution();

        assertThat(answer.getOwner()).isEqualTo("user@doordash.com");
        assertThat(answer.getTeam()).isEqualTo("data-infra");
    }

    @Test
    void callWithoutTokenIsUnauthenticated() {
        StatusRuntimeException e = fail(null, "whoami");

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(e.getStatus().getDescription())
                .isEqualTo("missing credentials: send the header Authorization: Bearer <token>");
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void callWithUnknownTokenIsUnauthenticatedAndTheTokenIsNotEchoed() {
        StatusRuntimeException e = fail("Bearer secret-wrong-token", "whoami");

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(e.getStatus().getDescription()).isEqualTo("unknown token");
    }

    static Stream<Arguments> codes() {
        return Stream.of(
                Arguments.of(ErrorCode.INVALID_REQUEST, Status.Code.INVALID_ARGUMENT),
                Arguments.of(ErrorCode.JOB_NOT_FOUND, Status.Code.NOT_FOUND),
                Arguments.of(ErrorCode.NOT_FOUND, Status.Code.NOT_FOUND),
                Arguments.of(ErrorCode.JOB_ALREADY_FINISHED, Status.Code.FAILED_PRECONDITION),
                Arguments.of(ErrorCode.IDEMPOTENCY_CONFLICT, Status.Code.ALREADY_EXISTS),
                Arguments.of(ErrorCode.UNAUTHENTICATED, Status.Code.UNAUTHENTICATED),
                Arguments.of(ErrorCode.PERMISSION_DENIED, Status.Code.PERMISSION_DENIED),
                Arguments.of(ErrorCode.UNAVAILABLE, Status.Code.UNAVAILABLE),
                Arguments.of(ErrorCode.INTERNAL, Status.Code.INTERNAL));
    }

    @ParameterizedTest
    @MethodSource("codes")
    void platformErrorCodeMapsToItsStatusWithMessageAndTrailers(ErrorCode code, Status.Code expected) {
        StatusRuntimeException e = fail("Bearer good-token", "throw:" + code.name());

        assertThat(e.getStatus().getCode()).isEqualTo(expected);
        assertThat(e.getStatus().getDescription()).isEqualTo("failed with " + code.name());
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo(code.name());
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_FIELD)).isEqualTo("some.field");
    }

    @Test
    void failurePassedToOnErrorIsMappedTheSameWay() {
        StatusRuntimeException e = fail("Bearer good-token", "on-error");

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).isEqualTo("config.spark_version: \"9.9\" is not supported");
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_FIELD)).isEqualTo("config.spark_version");
    }

    @Test
    void errorWithoutFieldHasNoFieldTrailer() {
        StatusRuntimeException e = fail("Bearer good-token", "no-field");

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("JOB_ALREADY_FINISHED");
        assertThat(e.getTrailers().containsKey(GrpcErrors.ERROR_FIELD)).isFalse();
    }

    @Test
    void unexpectedFailureIsInternalWithoutDetails() {
        StatusRuntimeException e = fail("Bearer good-token", "bug");

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(e.getStatus().getDescription()).isEqualTo("internal error: IllegalStateException (see the server log)");
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("INTERNAL");
    }

    @Test
    void statusThrownByHandlerPassesUnchanged() {
        StatusRuntimeException e = fail("Bearer good-token", "status");

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(e.getStatus().getDescription()).isEqualTo("slow down");
    }

    private static StatusRuntimeException fail(String authorization, String executionId) {
        return catchThrowableOfType(StatusRuntimeException.class,
                () -> stub(authorization).check(CheckRequest.newBuilder().setExecutionId(executionId).build()));
    }

    private static SparkRunnerServiceGrpc.SparkRunnerServiceBlockingStub stub(String authorization) {
        SparkRunnerServiceGrpc.SparkRunnerServiceBlockingStub stub = SparkRunnerServiceGrpc.newBlockingStub(channel);
        if (authorization == null) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(GrpcAuth.AUTHORIZATION, authorization);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** Answers {@code Check} by failing as its execution id says. */
    private static final class FailingService extends SparkRunnerServiceGrpc.SparkRunnerServiceImplBase {
        @Override
        public void check(CheckRequest request, StreamObserver<CheckResponse> response) {
            String what = request.getExecutionId();
            if (what.startsWith("throw:")) {
                ErrorCode code = ErrorCode.valueOf(what.substring("throw:".length()));
                throw new PlatformException(code, "failed with " + code.name(), "some.field");
            }
            switch (what) {
                case "on-error" -> response.onError(new InvalidRequestException(List.of(
                        new Violation("config.spark_version", "\"9.9\" is not supported"))));
                case "no-field" -> throw new PlatformException(ErrorCode.JOB_ALREADY_FINISHED, "already finished");
                case "bug" -> throw new IllegalStateException("a bug with a secret detail");
                case "status" -> throw Status.RESOURCE_EXHAUSTED.withDescription("slow down").asRuntimeException();
                default -> {
                    Caller caller = GrpcAuth.caller();
                    response.onNext(CheckResponse.newBuilder().setExecution(Execution.newBuilder()
                            .setOwner(caller.user()).setTeam(caller.teams().iterator().next())).build());
                    response.onCompleted();
                }
            }
        }
    }
}
