package com.doordash.pedregal.gateway.kubernetes;

import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.model.config.ConfigProperties;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's Kubernetes mock API server in CRUD mode on 127.0.0.1 (real HTTP and watches), and the client with which a
 * test plays the Spark Operator: what the kubernetes tests stand on, as no cluster can run here.
 */
final class MockApi implements AutoCloseable {
    final KubernetesMockServer server;
    /** The operator's client. */
    final KubernetesClient operator;

    private MockApi(KubernetesMockServer server) {
        this.server = server;
        this.operator = server.createClient();
    }

    /** A mock API server on a free port. */
    static MockApi start() throws Exception {
        return new MockApi(apiServer(0));
    }

    /** A mock API server in CRUD mode on 127.0.0.1:{@code port} (0 for any free port). */
    static KubernetesMockServer apiServer(int port) throws Exception {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer mock = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        mock.init(InetAddress.getByName("127.0.0.1"), port);
        return mock;
    }

    /** A platform with S3 credentials of its own: pods get theirs from their environment, never from an application. */
    static GatewayConfig platformWithS3Credentials(Path dataDir) {
        return GatewayConfig.from(new ConfigProperties(Map.of("gateway.s3.access-key-id", "AKIAPLATFORM",
                "gateway.s3.secret-access-key", "platform-s3-secret")), dataDir, Map.of());
    }

    @Override
    public void close() {
        operator.close();
        server.destroy();
    }
}
