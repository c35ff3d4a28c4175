package com.doordash.pedregal.server;

import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.docker.DockerConfig;
import com.doordash.pedregal.gateway.kubernetes.KubernetesConfig;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.connect.SparkConnectProxy;
import com.doordash.pedregal.gateway.connect.TestCluster;
import com.doordash.pedregal.gateway.connect.TestClusterConfig;
import com.doordash.pedregal.model.auth.Authenticator;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code test} path: the shared Spark Connect test cluster (supervised), the {@code sc://} proxy users connect
 * to, and the server's own {@link SpecTester}. Without a cluster ({@code test-cluster.enabled=false}) only the tester
 * exists, and it answers 503 saying so.
 */
final class TestPath implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TestPath.class);
    static final String DISABLED = "the test cluster is disabled on this server (test-cluster.enabled=false)";

    private final TestCluster cluster;
    private final SparkConnectProxy proxy;
    private final SpecTester tester;

    private TestPath(TestCluster cluster, SparkConnectProxy proxy, SpecTester tester) {
        this.cluster = cluster;
        this.proxy = proxy;
        this.tester = tester;
    }

    /** Starts the cluster and the proxy when enabled; returns at once, the cluster comes up in the background. */
    static TestPath start(TestClusterConfig config, String host, GatewayConfig gateway, SparkRuntimes runtimes,
            DockerConfig docker, KubernetesConfig kubernetes, Authenticator authenticator) {
        if (!config.enabled()) {
            return new TestPath(null, null, new SpecTester(Optional::empty, DISABLED, config.maxConcurrentTests(),
                    config.callTimeout()));
        }
        TestCluster cluster = new TestCluster(config, gateway, runtimes, docker, kubernetes);
        cluster.start();
        SpecTester tester = new SpecTester(() -> cluster.platformConnection("dcp-server"), SpecTester.RESTARTING,
                config.maxConcurrentTests(), config.callTimeout());
        SparkConnectProxy proxy;
        try {
            proxy = new SparkConnectProxy(host, config.proxyPort(), cluster, authenticator).start();
        }
        catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        Thread warmUp = new Thread(() -> {
            try {
                cluster.awaitUp(Duration.ofMinutes(5));
                tester.warmUp();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            catch (RuntimeException e) {
                log.info("The test cluster is not up yet: {}", e.getMessage());
            }
        }, "dcp-test-cluster-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        return new TestPath(cluster, proxy, tester);
    }

    SpecTester tester() {
        return tester;
    }

    /** The cluster, when enabled. */
    Optional<TestCluster> cluster() {
        return Optional.ofNullable(cluster);
    }

    /** The port of the {@code sc://} proxy, when enabled. */
    Optional<Integer> proxyPort() {
        return proxy == null ? Optional.empty() : Optional.of(proxy.port());
    }

    @Override
    public void close() {
        if (proxy != null) {
            proxy.close();
        }
        tester.close();
        if (cluster != null) {
            cluster.close();
        }
    }
}
