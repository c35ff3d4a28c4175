package com.doordash.pedregal.gateway.docker;

import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.Router;
import com.doordash.pedregal.gateway.SparkGateway;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.TestDirs;
import com.doordash.pedregal.gateway.testing.ChildServers;
import com.doordash.pedregal.gateway.testing.RuntimeImages;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A platform whose only backend is docker, on the real engine with the runtime images of this build, for one test
 * class: {@code @RegisterExtension static final DockerPlatform platform = new DockerPlatform(settings);}. Every
 * container of its runs folder is removed after the class, whichever backend instance of the class started it.
 */
final class DockerPlatform implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> dockerSettings;
    private Path dataDir;
    private GatewayConfig config;
    private SparkRuntimes runtimes;
    private DockerBackend backend;
    private SparkGateway gateway;
    private DockerClient docker;

    /** {@code dockerSettings}: the {@code gateway.docker.*} keys of the backend. */
    DockerPlatform(Map<String, String> dockerSettings) {
        this.dockerSettings = Map.copyOf(dockerSettings);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        RuntimeImages.build();
        dataDir = TestDirs.reachable(Files.createTempDirectory("dcp-docker-test"));
        config = GatewayConfig.from(new ConfigProperties(Map.of("gateway.cancel-grace", "2s")), dataDir, Map.of());
        runtimes = SparkRuntimes.scan(config.runtimesDir());
        backend = new DockerBackend(DockerConfig.from(new ConfigProperties(dockerSettings)), config, runtimes);
        gateway = new SparkGateway(List.of(backend), runtimes, new Router(List.of(), "docker"));
        gateway.start();
        docker = ChildServers.docker();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (docker != null) {
            for (Container container : containers()) {
                docker.removeContainerCmd(container.getId()).withForce(true).exec();
            }
            docker.close();
        }
        TestDirs.deleteQuietly(dataDir);
    }

    /** The platform's containers, running or not: those labelled with its runs folder. */
    List<Container> containers() {
        String runsDir = backend.runsDirLabel();
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(DockerBackend.LABEL_BACKEND, "docker"))
                .exec().stream()
                .filter(container -> runsDir.equals(container.getLabels().get(DockerBackend.LABEL_RUNS_DIR)))
                .toList();
    }

    /** A second backend on the same runs folder, as a restarted platform makes. */
    DockerBackend newBackend() {
        return new DockerBackend(DockerConfig.from(new ConfigProperties(dockerSettings)), config, runtimes);
    }

    Path dataDir() {
        return dataDir;
    }

    GatewayConfig config() {
        return config;
    }

    SparkRuntimes runtimes() {
        return runtimes;
    }

    DockerBackend backend() {
        return backend;
    }

    SparkGateway gateway() {
        return gateway;
    }

    DockerClient docker() {
        return docker;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
