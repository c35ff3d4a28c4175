package com.doordash.pedregal.testcontainers;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Tests that need a Docker engine: skipped with the reason where none is reachable, unless {@code DCP_REQUIRE_DOCKER}
 * is set (CI sets it), where they run and fail, so a build can never pass by skipping them.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresDocker.Condition.class)
public @interface RequiresDocker {
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (System.getenv("DCP_REQUIRE_DOCKER") != null) {
                return ConditionEvaluationResult.enabled("DCP_REQUIRE_DOCKER is set: Docker tests must run");
            }
            return DockerClientFactory.instance().isDockerAvailable()
                    ? ConditionEvaluationResult.enabled("a Docker engine answers")
                    : ConditionEvaluationResult.disabled("no Docker engine is reachable (set DCP_REQUIRE_DOCKER=1 to"
                            + " make that a failure)");
        }
    }
}
