package com.doordash.pedregal.gateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.PoolStatus;
import com.doordash.pedregal.gateway.Router;
import com.doordash.pedregal.gateway.SparkGateway;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.TestDirs;
import com.doordash.pedregal.model.config.ConfigProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hot pool follows demand: it grows when a job starts cold for want of an idle driver, and shrinks back when idle. */
final class HotPoolSizingTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path dataDir;

    @Test
    void poolGrowsWhenAJobFindsNoIdleDriverAndShrinksBackWhenNoneIsAskedFor() throws Exception {
        TestDirs.reachable(dataDir);
        GatewayConfig config = GatewayConfig.from(new ConfigProperties(Map.of("gateway.cancel-grace", "1s")), dataDir);
        SparkRuntimes runtimes = SparkRuntimes.scan(config.runtimesDir());
        HotPoolConfig pools = HotPoolConfig.from(new ConfigProperties(Map.of("gateway.hot-pool.pools", "3.5/default=1",
                "gateway.hot-pool.max-size", "2", "gateway.hot-pool.idle-timeout", "3s")));
        try (SparkGateway gateway = new SparkGateway(List.of(new LocalBackend(config, runtimes, pools)), runtimes,
                new Router(List.of(), "local"))) {
            gateway.start();

            // At once, while the pool's first driver still warms up: this job starts cold for want of an idle one.
            BackendRun cold = gateway.launch(new LaunchRequest("test-" + UUID.randomUUID(), "sizing", "test",
                    LaunchRequest.DEFAULT_NAMESPACE, "BATCH", "3.5", Application.coreEtl("""
                            {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "none"}],
                             "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "none"}]}
                            """), Map.of(), Map.of(), 1, 1L << 30));
            gateway.cancel(cold);

            PoolStatus grown = gateway.pools().get(0);
            assertThat(grown.coldStarts()).isEqualTo(1);
            assertThat(grown.size()).as("grown by the cold start").isEqualTo(2);
            awaitPool(gateway, pool -> pool.idle() + pool.starting() == 2, "a second warm driver started");

            // Once both are ready and 3 s passed without demand, one is given back.
            PoolStatus shrunk = awaitPool(gateway, pool -> pool.size() == 1 && pool.idle() == 1,
                    "back to one warm driver after 3 s without demand");
            assertThat(shrunk.starting()).isZero();
        }
    }

    @Test
    void anticipatedNamespaceGetsAWarmDriverOfTheDefaultPoolAtOnce() {
        TestDirs.reachable(dataDir);
        GatewayConfig config = GatewayConfig.from(new ConfigProperties(Map.of()), dataDir);
        SparkRuntimes runtimes = SparkRuntimes.scan(config.runtimesDir());
        HotPoolConfig pools = HotPoolConfig.from(new ConfigProperties(Map.of("gateway.hot-pool.pools", "3.5/default=1",
                "gateway.hot-pool.max-size", "2")));
        try (SparkGateway gateway = new SparkGateway(List.of(new LocalBackend(config, runtimes, pools)), runtimes,
                new Router(List.of(), "local"))) {
            gateway.start();

            gateway.anticipate("pg_data_infra_alice_scratch"); // a playground was created
            gateway.anticipate("pg_data_infra_alice_other"); // and another: the pool is at its maximum

            assertThat(gateway.pools()).singleElement().satisfies(pool -> {
                assertThat(pool.namespace()).isEqualTo("default");
                assertThat(pool.size()).isEqualTo(2);
                assertThat(pool.coldStarts()).isZero();
            });
        }
    }

    private static PoolStatus awaitPool(SparkGateway gateway, Predicate<PoolStatus> condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            PoolStatus pool = gateway.pools().get(0);
            if (condition.test(pool)) {
                return pool;
            }
            assertThat(System.nanoTime()).as(what + " within " + TIMEOUT + ": " + pool).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
