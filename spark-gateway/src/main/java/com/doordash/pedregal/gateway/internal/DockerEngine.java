package com.doordash.pedregal.gateway.internal;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The few calls of the Docker engine's API the docker backend and the test cluster make (not an API: for the gateway only), through docker-java over the
 * engine's socket, each with a deadline; an engine that does not answer is {@link ErrorCode#UNAVAILABLE} with its
 * address.
 */
public final class DockerEngine implements AutoCloseable {
    private final java.net.URI host;
    private final Duration requestTimeout;
    private final DockerClient client;

    /**
     * What a container is made of; {@code cpus} 0 for no limit on CPUs; {@code cpuShares} its weight when CPUs are
     * contended (0 for the engine's default, 1024).
     */
    public record ContainerSpec(String name, String image, Map<String, String> labels, List<String> command, Path workingDir,
            String user, Map<String, String> env, List<Mount> mounts, String network, int cpus, long memoryBytes,
            int cpuShares) {
        /** A container of the engine's default CPU weight. */
        public ContainerSpec(String name, String image, Map<String, String> labels, List<String> command, Path workingDir,
                String user, Map<String, String> env, List<Mount> mounts, String network, int cpus, long memoryBytes) {
            this(name, image, labels, command, workingDir, user, env, mounts, network, cpus, memoryBytes, 0);
        }
    }

    /** A folder or file of the engine's machine bind-mounted into a container. */
    public record Mount(Path source, Path target, boolean readOnly) {
    }

    /** What the engine's machine has. */
    public record Machine(int cpus, long memoryBytes) {
    }

    /** A client of the engine at {@code host}, each call limited to {@code requestTimeout}. */
    public DockerEngine(java.net.URI host, Duration requestTimeout) {
        this.host = requireNonNull(host, "host is null");
        this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout is null");
        DefaultDockerClientConfig clientConfig = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host.toString())
                .build();
        DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(clientConfig.getDockerHost())
                .sslConfig(clientConfig.getSSLConfig())
                .maxConnections(32)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(requestTimeout)
                .build();
        this.client = DockerClientImpl.getInstance(clientConfig, http);
    }

    /** Fails with the engine's address when it does not answer. */
    public void ping() {
        call("answer a ping", () -> client.pingCmd().exec());
    }

    public Machine machine() {
        Info info = call("describe its machine", () -> client.infoCmd().exec());
        return new Machine(info.getNCPU() == null ? 1 : info.getNCPU(), info.getMemTotal() == null ? 0 : info.getMemTotal());
    }

    public boolean hasImage(String image) {
        return call("look up image " + image, () -> {
            try {
                client.inspectImageCmd(image).exec();
                return true;
            }
            catch (NotFoundException e) {
                return false;
            }
        });
    }

    /** Creates the container; returns its id. */
    public String create(ContainerSpec spec) {
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(spec.network())
                .withBinds(spec.mounts().stream()
                        .map(mount -> new Bind(mount.source().toString(), new Volume(mount.target().toString()),
                                mount.readOnly() ? AccessMode.ro : AccessMode.rw))
                        .toList())
                .withMemory(spec.memoryBytes())
                .withMemorySwap(spec.memoryBytes())
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,size=256m"))
                .withPidsLimit(4096L);
        if (spec.cpus() > 0) {
            host.withNanoCPUs(spec.cpus() * 1_000_000_000L);
        }
        if (spec.cpuShares() > 0) {
            host.withCpuShares(spec.cpuShares());
        }
        return call("create container " + spec.name(), () -> client.createContainerCmd(spec.image())
                .withName(spec.name())
                .withLabels(spec.labels())
                .withEntrypoint(spec.command())
                .withWorkingDir(spec.workingDir().toString())
                .withUser(spec.user())
                .withEnv(spec.env().entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue()).toList())
                .withHostConfig(host)
                .exec()
                .getId());
    }

    public void start(String containerId) {
        call("start container " + containerId, () -> client.startContainerCmd(containerId).exec());
    }

    /** The container, or empty when the engine does not know it. */
    public Optional<InspectContainerResponse> inspect(String containerId) {
        return call("inspect container " + containerId, () -> {
            try {
                return Optional.of(client.inspectContainerCmd(containerId).exec());
            }
            catch (NotFoundException e) {
                return Optional.empty();
            }
        });
    }

    /** Stops the container: SIGTERM, SIGKILL after {@code grace}; nothing for one stopped or gone. */
    public void stop(String containerId, Duration grace) {
        call("stop container " + containerId, () -> {
            try {
                client.stopContainerCmd(containerId).withTimeout((int) Math.max(1, grace.toSeconds())).exec();
            }
            catch (NotFoundException | NotModifiedException e) {
                // gone or stopped already
            }
            return null;
        });
    }

    /** Removes the container, running or not; nothing for one gone. */
    public void remove(String containerId) {
        call("remove container " + containerId, () -> {
            try {
                client.removeContainerCmd(containerId).withForce(true).exec();
            }
            catch (NotFoundException e) {
                // gone already
            }
            catch (ConflictException e) {
                // removal already in progress
            }
            return null;
        });
    }

    /** Gives the container the name {@code name}. */
    public void rename(String containerId, String name) {
        call("rename container " + containerId, () -> client.renameContainerCmd(containerId).withName(name).exec());
    }

    /** Sets the running container's CPU limit to {@code cpus} and its weight when CPUs are contended to {@code shares}. */
    public void setCpus(String containerId, int cpus, int shares) {
        call("update container " + containerId, () -> client.updateContainerCmd(containerId)
                .withNanoCPUs(cpus * 1_000_000_000L).withCpuShares(shares).exec());
    }

    /** The first container, running or not, whose label {@code key} is {@code value}. */
    public Optional<Container> findByLabel(String key, String value) {
        return call("list containers", () -> client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(key, value)).exec().stream().findFirst());
    }

    /** The containers, running or not, that carry label {@code key}. */
    public List<Container> withLabel(String key) {
        return call("list containers", () -> client.listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(key)).exec());
    }

    /** Appends the container's whole output (stdout and stderr, interleaved) to {@code file}, up to {@code maxBytes}. */
    public void copyLogs(String containerId, Path file, long maxBytes) throws IOException {
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            long[] written = {0};
            boolean[] truncated = {false};
            readLogs(containerId, OptionalInt.empty(), frame -> {
                if (written[0] + frame.length > maxBytes) {
                    truncated[0] = true;
                    return;
                }
                try {
                    out.write(frame);
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                written[0] += frame.length;
            });
            if (truncated[0]) {
                out.write(("\n=== dcp: the container's output beyond " + (maxBytes >> 20) + " MiB was not kept\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The container's output, its last {@code tailLines} lines or its last {@code maxBytes}; empty when it is gone. */
    public Optional<String> logs(String containerId, OptionalInt tailLines, int maxBytes) {
        StringBuilder text = new StringBuilder();
        boolean found = readLogs(containerId, tailLines, frame -> {
            text.append(new String(frame, StandardCharsets.UTF_8));
            if (text.length() > 2 * maxBytes) {
                text.delete(0, text.length() - maxBytes);
            }
        });
        if (!found) {
            return Optional.empty();
        }
        return Optional.of(text.length() > maxBytes ? text.substring(text.length() - maxBytes) : text.toString());
    }

    private boolean readLogs(String containerId, OptionalInt tailLines, java.util.function.Consumer<byte[]> frames) {
        return call("read the log of container " + containerId, () -> {
            var command = client.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(false);
            if (tailLines.isPresent()) {
                command.withTail(tailLines.getAsInt());
            }
            try {
                ResultCallback.Adapter<Frame> callback = command.exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Frame frame) {
                        frames.accept(frame.getPayload());
                    }
                });
                if (!callback.awaitCompletion(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    callback.close();
                }
                return true;
            }
            catch (NotFoundException e) {
                return false;
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the log of container " + containerId, e);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void close() {
        try {
            client.close();
        }
        catch (IOException e) {
            // nothing left to release
        }
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    private <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        }
        catch (DockerException e) {
            throw new PlatformException(ErrorCode.UNAVAILABLE, "the Docker engine at " + host + " could not "
                    + what + ": " + LogFiles.firstLine(e.getMessage()));
        }
        catch (RuntimeException e) {
            if (e instanceof PlatformException || e instanceof IllegalStateException) {
                throw e;
            }
            throw new PlatformException(ErrorCode.UNAVAILABLE, "the Docker engine at " + host + " did not "
                    + what + ": " + LogFiles.firstLine(String.valueOf(e.getCause() != null ? e.getCause() : e)));
        }
        catch (Exception e) {
            throw new PlatformException(ErrorCode.UNAVAILABLE, "the Docker engine at " + host + " did not "
                    + what + ": " + LogFiles.firstLine(e.toString()));
        }
    }

}
