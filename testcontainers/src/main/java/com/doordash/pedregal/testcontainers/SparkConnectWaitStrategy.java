package com.doordash.pedregal.testcontainers;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/** A container is ready when its Spark Connect server answered a real query ({@link Readiness}), not a port check. */
public final class SparkConnectWaitStrategy extends AbstractWaitStrategy {
    private final Supplier<String> url;

    /** {@code url} gives the server's {@code sc://} address once the container runs. */
    public SparkConnectWaitStrategy(Supplier<String> url) {
        this.url = requireNonNull(url, "url is null");
    }

    @Override
    protected void waitUntilReady() {
        try {
            Readiness.await(url, startupTimeout, waitStrategyTarget::isRunning, waitStrategyTarget::getLogs);
        }
        catch (IllegalStateException e) {
            throw new ContainerLaunchException(e.getMessage(), e.getCause());
        }
    }
}
