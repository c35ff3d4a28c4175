package com.doordash.pedregal.gateway.testing;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Tests that need a Docker engine on {@code /var/run/docker.sock}: skipped with the reason where none answers, unless
 * {@code DCP_REQUIRE_DOCKER} is set (CI sets it: there, a missing engine fails the tests).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresDocker.Condition.class)
public @interface RequiresDocker {
    /** The engine's socket the tests use. */
    Path SOCKET = Path.of("/var/run/docker.sock");

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (System.getenv("DCP_REQUIRE_DOCKER") != null) {
                return ConditionEvaluationResult.enabled("DCP_REQUIRE_DOCKER is set: Docker tests must run");
            }
            return answers()
                    ? ConditionEvaluationResult.enabled("a Docker engine answers on " + SOCKET)
                    : ConditionEvaluationResult.disabled("no Docker engine answers on " + SOCKET
                            + " (set DCP_REQUIRE_DOCKER=1 to make that a failure)");
        }

        private static boolean answers() {
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(SOCKET));
                channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer answer = ByteBuffer.allocate(512);
                channel.read(answer);
                return new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII).startsWith("HTTP/1.");
            }
            catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }
}
