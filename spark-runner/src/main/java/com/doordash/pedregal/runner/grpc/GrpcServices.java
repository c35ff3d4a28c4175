package com.doordash.pedregal.runner.grpc;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.auth.Authenticator;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.error.PolicyViolationException;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.model.error.Violation;
import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.model.spec.CoreEtlSpec;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;

/** What every gRPC API of the platform shares: authentication, error mapping, reading JSON job specs. */
public final class GrpcServices {
    private GrpcServices() {
    }

    /**
     * {@code service} behind {@link GrpcAuth} with {@code authenticator}, and behind {@link GrpcErrors}, which
     * maps every failure of the call (authentication included).
     */
    public static ServerServiceDefinition secured(BindableService service, Authenticator authenticator) {
        requireNonNull(service, "service is null");
        // The last interceptor runs first: errors wrap authentication wraps the service.
        return ServerInterceptors.intercept(service, new GrpcAuth(authenticator), new GrpcErrors());
    }

    /**
     * Reads a CoreETL spec sent as JSON text; problems name their paths below {@code field} (for example
     * {@code config.core_etl.job_spec.sources[0].table}).
     */
    public static CoreEtlSpec coreEtlSpec(String json, String field) {
        requireNonNull(json, "json is null");
        requireNonNull(field, "field is null");
        if (json.isBlank()) {
            throw new InvalidRequestException(field, "is empty; expected a JSON object");
        }
        try {
            return Json.read(json, CoreEtlSpec.class);
        }
        catch (InvalidRequestException e) {
            throw new InvalidRequestException(e.violations().stream()
                    .map(violation -> new Violation(below(field, violation.field()), violation.message()))
                    .toList());
        }
    }

    /**
     * Executor resources sent as proto3 scalars, which cannot be absent: 0 (and false) mean "not set", as the
     * prototype's clients send what their users left out. So 0 instances is Spark's default, not none.
     */
    public static com.doordash.pedregal.model.ExecutorConfig executorConfig(int instances, int cores, String memory,
            String memoryOverhead, boolean dynamicAllocation, int minExecutors, int maxExecutors) {
        return new com.doordash.pedregal.model.ExecutorConfig(zeroToNull(instances), cores, memory, memoryOverhead,
                dynamicAllocation ? Boolean.TRUE : null, zeroToNull(minExecutors), zeroToNull(maxExecutors));
    }

    private static Integer zeroToNull(int value) {
        return value == 0 ? null : value;
    }

    /** {@code text}, or null when it is empty (proto3 strings cannot be absent). */
    public static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    /** {@code text}, or the empty string when it is null (proto3 strings cannot be null). */
    public static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    /** The same failure with its field paths renamed by {@code rename}; other failures unchanged. */
    public static PlatformException renameFields(PlatformException failure, java.util.function.UnaryOperator<String> rename) {
        if (failure instanceof InvalidRequestException invalid) {
            return new InvalidRequestException(invalid.violations().stream()
                    .map(violation -> new Violation(rename.apply(violation.field()), violation.message()))
                    .toList());
        }
        if (failure instanceof PolicyViolationException policy) {
            return new PolicyViolationException(policy.code(), policy.violations().stream()
                    .map(violation -> new Violation(rename.apply(violation.field()), violation.message()))
                    .toList());
        }
        if (failure.field().isPresent()) {
            String field = failure.field().get();
            String renamed = rename.apply(field);
            if (!renamed.equals(field)) {
                return new PlatformException(failure.code(), failure.getMessage(), renamed);
            }
        }
        return failure;
    }

    private static String below(String parent, String path) {
        if (path.isEmpty()) {
            return parent;
        }
        return path.startsWith("[") ? parent + path : parent + "." + path;
    }
}
