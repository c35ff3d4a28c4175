package com.doordash.pedregal.model.error;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The operator's policy refuses a well-formed request ({@link ErrorCode#POLICY_VIOLATION}, or {@link
 * ErrorCode#PERMISSION_DENIED} for a write outside the caller's namespaces); every refusal names its field and the
 * rule, for example {@code config.spark_config["spark.jars"]: loads code, which only teams in policy.custom-code.teams
 * may do (team ads is not one)}.
 */
public final class PolicyViolationException extends PlatformException {
    /** Refusals of {@code code}; there must be at least one. */
    public PolicyViolationException(ErrorCode code, List<Violation> violations) {
        super(code, violations.stream().map(Violation::toString).collect(Collectors.joining("; ")),
                violations.get(0).field(), violations, null);
    }
}
