package com.doordash.pedregal.gateway.internal;

import com.doordash.pedregal.gateway.SparkRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the platform runs a Spark JVM in a container of a runtime image ({@code docker/}), for the docker backend's
 * drivers and the containerised test cluster alike (not an API: for the gateway only): where the run folder and the
 * scratch folder are inside, as which user, with how much memory.
 */
public final class SparkContainers {
    /** Where a runtime image keeps Spark, its connectors, configuration and the CoreETL jar. */
    public static final Path SPARK_HOME = Path.of("/opt/spark");
    /** Where a container sees its run folder. */
    public static final Path RUN_DIR = Path.of("/dcp/run");
    /** Where a container sees its scratch folder: temporary files, Spark's local dir, its home. */
    public static final Path SCRATCH_DIR = Path.of("/dcp/scratch");
    /** The file of a run folder mounted as the container's {@code /etc/passwd}. */
    public static final String PASSWD_FILE = "passwd";
    private static final long MIN_OVERHEAD = 384L << 20;

    private SparkContainers() {
    }

    /** {@code runtime} as it is laid out inside its image. */
    public static SparkRuntime inImage(SparkRuntime runtime) {
        return new SparkRuntime(runtime.version(), runtime.sparkVersion(), SPARK_HOME);
    }

    /** The JVM options of a Spark JVM in a container: its home and temporary files in the scratch folder. */
    public static List<String> jvmOptions() {
        return List.of("-Duser.home=" + SCRATCH_DIR, "-Djava.io.tmpdir=" + SCRATCH_DIR, "-XX:-UsePerfData");
    }

    /** The environment of a Spark JVM in a container: {@code extra} (a job's own) first, the runtime's after. */
    public static Map<String, String> environment(Map<String, String> extra, boolean hostNetwork) {
        Map<String, String> env = new LinkedHashMap<>(extra);
        env.put("SPARK_HOME", SPARK_HOME.toString());
        env.put("SPARK_CONF_DIR", SPARK_HOME.resolve("conf").toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("HOME", SCRATCH_DIR.toString());
        if (hostNetwork) {
            env.put("SPARK_LOCAL_IP", "127.0.0.1");
        }
        return env;
    }

    /** A container's memory for a JVM with {@code heapBytes} of heap: the heap and Spark's overhead ({@code max(384 MiB, 10 %)}). */
    public static long memory(long heapBytes) {
        return heapBytes + Math.max(MIN_OVERHEAD, heapBytes / 10);
    }

    /** The uid and gid a container runs as: {@code user}'s, or the server's own when the sandbox is off. */
    public static int[] ids(Sandbox.RunUser user) {
        if (!user.isServer()) {
            return new int[] {user.uid(), user.gid()};
        }
        com.sun.security.auth.module.UnixSystem system = new com.sun.security.auth.module.UnixSystem();
        return new int[] {(int) system.getUid(), (int) system.getGid()};
    }

    /**
     * Writes {@code runDir/passwd}, the {@code /etc/passwd} of the container, naming {@code ids}: Hadoop's login needs a
     * name for the uid a JVM runs as, and a run user exists on this machine only.
     */
    public static Path writePasswd(Path runDir, int[] ids) {
        Path file = runDir.resolve(PASSWD_FILE);
        try {
            Files.writeString(file, "root:x:0:0:root:/root:/usr/sbin/nologin\n"
                    + "spark:x:185:185:spark:/opt/spark:/usr/sbin/nologin\n"
                    + (ids[0] == 0 || ids[0] == 185 ? "" : "dcp-run:x:" + ids[0] + ":" + ids[1] + ":dcp run:"
                    + SCRATCH_DIR + ":/usr/sbin/nologin\n"), StandardCharsets.UTF_8);
            return file;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
