package com.doordash.pedregal.gateway.standalone;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Configuration of the standalone backend: a Spark standalone cluster with its REST submission server enabled
 * ({@code spark.master.rest.enabled=true} on the master).
 *
 * @param master the master URL drivers and executors connect to, {@code spark://host:port} — key
 *     {@code gateway.standalone.master}, default {@code spark://127.0.0.1:7077}
 * @param restUrl the master's REST submission server — {@code gateway.standalone.rest-url}, default
 *     {@code http://<master host>:6066}
 * @param uiUrl the master's web UI, whose {@code /json/} lists the workers — {@code gateway.standalone.ui-url},
 *     default {@code http://<master host>:8080}
 * @param sparkVersion the one runtime the cluster runs, for example {@code 3.5} — {@code gateway.standalone.spark-version},
 *     default {@code 3.5}
 * @param workerRuntimeHome where that runtime's folder (with {@code app/coreetl.jar}) is on the workers' machines,
 *     or null when it is at the same path as on this machine (workers here or on a shared mount) —
 *     {@code gateway.standalone.worker-runtime-home}, default null
 * @param requestTimeout how long one HTTP call to the master or a worker may take —
 *     {@code gateway.standalone.request-timeout}, default {@code 10s}
 * @param killTimeout how long a cancel waits for the master to report the driver ended —
 *     {@code gateway.standalone.kill-timeout}, default {@code 30s}
 */
public record StandaloneConfig(
        URI master,
        URI restUrl,
        URI uiUrl,
        String sparkVersion,
        Path workerRuntimeHome,
        Duration requestTimeout,
        Duration killTimeout) {
    /** The master URL used when none is configured. */
    public static final String DEFAULT_MASTER = "spark://127.0.0.1:7077";

    public StandaloneConfig {
        requireNonNull(master, "master is null");
        requireNonNull(restUrl, "restUrl is null");
        requireNonNull(uiUrl, "uiUrl is null");
        requireNonNull(sparkVersion, "sparkVersion is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(killTimeout, "killTimeout is null");
    }

    /** Reads the {@code gateway.standalone.*} keys. */
    public static StandaloneConfig from(ConfigProperties properties) {
        URI master = masterUrl(properties.string("gateway.standalone.master", DEFAULT_MASTER));
        String workerRuntimeHome = properties.string("gateway.standalone.worker-runtime-home", null);
        return new StandaloneConfig(
                master,
                httpUrl(properties, "gateway.standalone.rest-url", "http://" + master.getHost() + ":6066"),
                httpUrl(properties, "gateway.standalone.ui-url", "http://" + master.getHost() + ":8080"),
                properties.string("gateway.standalone.spark-version", "3.5"),
                workerRuntimeHome == null ? null : Path.of(workerRuntimeHome),
                properties.duration("gateway.standalone.request-timeout", Duration.ofSeconds(10)),
                properties.duration("gateway.standalone.kill-timeout", Duration.ofSeconds(30)));
    }

    private static URI masterUrl(String text) {
        URI uri;
        try {
            uri = URI.create(text);
        }
        catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !"spark".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("gateway.standalone.master: \"" + text
                    + "\" is not valid (expected a master URL like " + DEFAULT_MASTER + ")");
        }
        return uri;
    }

    private static URI httpUrl(ConfigProperties properties, String key, String defaultValue) {
        String text = properties.string(key, defaultValue);
        URI uri;
        try {
            uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        }
        catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(key + ": \"" + text
                    + "\" is not valid (expected an HTTP URL like " + defaultValue + ")");
        }
        return uri;
    }
}
