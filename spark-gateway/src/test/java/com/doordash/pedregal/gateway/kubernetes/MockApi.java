package com.doordash.pedregal.gateway.kubernetes;

import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.TestDirs;
import com.doordash.pedregal.model.config.ConfigProperties;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * fabric8's Kubernetes mock API server in CRUD mode on 127.0.0.1 (real HTTP and watches), the client with which a
 * test plays the Spark Operator, and a platform of its own: what the kubernetes tests stand on, as no cluster can run
 * here. One per test class: {@code @RegisterExtension static final MockApi api = new MockApi();}.
 */
final class MockApi implements BeforeAllCallback, AfterAllCallback {
    private KubernetesMockServer server;
    private KubernetesClient operator;
    private Path dataDir;
    private GatewayConfig platform;
    private SparkRuntimes runtimes;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = apiServer(0);
        operator = server.createClient();
        dataDir = Files.createTempDirectory("dcp-kubernetes-test");
        // The platform has S3 credentials of its own: pods get theirs from their environment, never from an application.
        platform = GatewayConfig.from(new ConfigProperties(Map.of("gateway.s3.access-key-id", "AKIAPLATFORM",
                "gateway.s3.secret-access-key", "platform-s3-secret")), dataDir, Map.of());
        runtimes = SparkRuntimes.scan(platform.runtimesDir());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (operator != null) {
            operator.close();
        }
        if (server != null) {
            server.destroy();
        }
        TestDirs.deleteQuietly(dataDir);
    }

    KubernetesMockServer server() {
        return server;
    }

    /** The operator's client. */
    KubernetesClient operator() {
        return operator;
    }

    /** A platform with S3 credentials of its own, its data in a folder of this class. */
    GatewayConfig platform() {
        return platform;
    }

    SparkRuntimes runtimes() {
        return runtimes;
    }

    /** A mock API server in CRUD mode on 127.0.0.1:{@code port} (0 for any free port). */
    static KubernetesMockServer apiServer(int port) throws Exception {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer mock = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        mock.init(InetAddress.getByName("127.0.0.1"), port);
        return mock;
    }
}
