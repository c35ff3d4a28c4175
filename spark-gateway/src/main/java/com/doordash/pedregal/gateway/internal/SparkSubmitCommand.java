package com.doordash.pedregal.gateway.internal;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.CatalogConfig;
import com.doordash.pedregal.gateway.SparkRuntime;
import com.doordash.pedregal.model.ByteSize;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way the platform starts a Spark JVM on this machine — a local driver, a warm driver, the test cluster:
 * {@code java <flags> -cp <runtime> [ParentBoundMain] org.apache.spark.deploy.SparkSubmit --master … --class … --conf
 * k=v … <jar> <args>}.
 *
 * <p>The JVM gets its arguments from an argument file ({@code java @file}, {@link #argFile()}), so the job's settings
 * and spec never show on the process's command line, which every user of the machine can read.
 */
public final class SparkSubmitCommand {
    private static final String SPARK_SUBMIT = "org.apache.spark.deploy.SparkSubmit";
    private static final Path NICE = Path.of("/usr/bin/nice");
    /** How much less CPU priority a driver gets than the server by default (0 to 19): drivers are batch work. */
    public static final int NICENESS = 19;
    /** What a JVM keeps of the server's environment; nothing else of it (tokens, passwords) reaches a Spark JVM. */
    private static final List<String> INHERITED_ENV = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER");

    private final Path javaHome;
    private final SparkRuntime runtime;
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> conf = new LinkedHashMap<>();
    private final List<String> args = new ArrayList<>();
    private long heapBytes;
    private Path log4jConfig;
    private String parentBoundMain;
    private String master = "local[*]";
    private String name;
    private String mainClass;
    private String applicationJar;
    private int niceness = NICENESS;

    private SparkSubmitCommand(Path javaHome, SparkRuntime runtime) {
        this.javaHome = requireNonNull(javaHome, "javaHome is null");
        this.runtime = requireNonNull(runtime, "runtime is null");
        this.log4jConfig = runtime.conf().resolve("log4j2.properties");
    }

    /** A command running a JVM of {@code javaHome} on the class path of {@code runtime}. */
    public static SparkSubmitCommand of(Path javaHome, SparkRuntime runtime) {
        return new SparkSubmitCommand(javaHome, runtime);
    }

    /** Adds JVM options (before the heap size). */
    public SparkSubmitCommand jvmOptions(List<String> options) {
        jvmOptions.addAll(options);
        return this;
    }

    /** How much less CPU priority than the server the JVM gets, 0 to 19; {@value #NICENESS} by default. */
    public SparkSubmitCommand niceness(int niceness) {
        if (niceness < 0 || niceness > 19) {
            throw new IllegalArgumentException("niceness: " + niceness + " (expected: 0 to 19)");
        }
        this.niceness = niceness;
        return this;
    }

    /** The JVM's heap. */
    public SparkSubmitCommand heap(long bytes) {
        this.heapBytes = bytes;
        return this;
    }

    /** The log4j2 configuration; the runtime's by default. */
    public SparkSubmitCommand log4j(Path config) {
        this.log4jConfig = requireNonNull(config, "config is null");
        return this;
    }

    /** Runs SparkSubmit under {@code main}, which halts the JVM when its standard input closes (the parent died). */
    public SparkSubmitCommand boundToParent(String main) {
        this.parentBoundMain = requireNonNull(main, "main is null");
        return this;
    }

    /** The Spark master; {@code local[*]} by default. */
    public SparkSubmitCommand master(String master) {
        this.master = requireNonNull(master, "master is null");
        return this;
    }

    /** The application's name and main class. */
    public SparkSubmitCommand application(String name, String mainClass) {
        this.name = requireNonNull(name, "name is null");
        this.mainClass = requireNonNull(mainClass, "mainClass is null");
        return this;
    }

    /** Adds Spark properties, later ones winning. */
    public SparkSubmitCommand conf(Map<String, String> properties) {
        conf.putAll(properties);
        return this;
    }

    /** The application jar and its arguments; without a jar the main class must be on the runtime's class path. */
    public SparkSubmitCommand jar(String jar, List<String> arguments) {
        this.applicationJar = jar;
        args.addAll(arguments);
        return this;
    }

    /** Everything after {@code java}, in order. */
    public List<String> arguments() {
        if (name == null) {
            throw new IllegalStateException("no application set");
        }
        List<String> command = new ArrayList<>(SparkJvmFlags.flags());
        command.addAll(jvmOptions);
        if (heapBytes > 0) {
            command.add("-Xmx" + ByteSize.toMebibytes(heapBytes));
        }
        command.add("-Dlog4j2.configurationFile=" + log4jConfig);
        command.add("-cp");
        // The platform jar is on every JVM's class path: it holds the events listener and the walls, also for custom jars.
        command.add(runtime.conf() + File.pathSeparator + runtime.jars() + File.separator + "*"
                + File.pathSeparator + runtime.connectors() + File.separator + "*"
                + File.pathSeparator + runtime.coreEtlJar());
        if (parentBoundMain != null) {
            command.add(parentBoundMain);
        }
        command.add(SPARK_SUBMIT);
        command.addAll(List.of("--master", master, "--deploy-mode", "client", "--name", name));
        command.addAll(List.of("--properties-file", runtime.conf().resolve("spark-defaults.conf").toString()));
        command.addAll(List.of("--class", mainClass));
        conf.forEach((key, value) -> {
            command.add("--conf");
            command.add(key + "=" + value);
        });
        command.add(applicationJar == null ? "spark-internal" : applicationJar);
        command.addAll(args);
        return command;
    }

    /**
     * {@link #arguments()} with the values of secret settings ({@link CatalogConfig#isSecret}: passwords, keys, tokens)
     * as {@code ***}: for logs.
     */
    public List<String> redactedArguments() {
        List<String> arguments = new ArrayList<>(arguments());
        for (int i = 1; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            int equals = argument.indexOf('=');
            if ("--conf".equals(arguments.get(i - 1)) && equals > 0 && CatalogConfig.isSecret(argument.substring(0, equals))) {
                arguments.set(i, argument.substring(0, equals) + "=***");
            }
        }
        return arguments;
    }

    /** The content of the argument file of {@link #arguments()}: one quoted, escaped argument a line. */
    public String argFile() {
        return argFile(arguments());
    }

    /** An argument file of the {@code java} launcher holding {@code arguments} exactly. */
    static String argFile(List<String> arguments) {
        StringBuilder file = new StringBuilder();
        for (String argument : arguments) {
            file.append('"');
            for (char c : argument.toCharArray()) {
                switch (c) {
                    case '\\' -> file.append("\\\\");
                    case '"' -> file.append("\\\"");
                    case '\n' -> file.append("\\n");
                    case '\r' -> file.append("\\r");
                    case '\t' -> file.append("\\t");
                    case '\f' -> file.append("\\f");
                    default -> file.append(c);
                }
            }
            file.append("\"\n");
        }
        return file.toString();
    }

    /**
     * The command that runs the JVM with its arguments read from {@code argFile} (holding {@link #argFile()}), at a
     * lower CPU priority than the server ({@code nice}): however busy the Spark JVMs keep the machine, the server
     * answers its health checks and status reads first.
     */
    public List<String> command(Path argFile) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(NICE)) {
            command.addAll(List.of(NICE.toString(), "-n", Integer.toString(niceness)));
        }
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.add("@" + argFile);
        return command;
    }

    /**
     * Replaces {@code env} (a process builder's, inherited from the server) by a Spark JVM's: a few of the server's
     * variables, then {@code extra} (a job's own), then the runtime's, bound to {@code localIp}.
     */
    public void environment(Map<String, String> env, Map<String, String> extra, String localIp) {
        Map<String, String> inherited = new LinkedHashMap<>(env);
        env.clear();
        for (String key : INHERITED_ENV) {
            if (inherited.containsKey(key)) {
                env.put(key, inherited.get(key));
            }
        }
        env.putAll(extra);
        env.put("JAVA_HOME", javaHome.toString());
        env.put("SPARK_HOME", runtime.home().toString());
        env.put("SPARK_CONF_DIR", runtime.conf().toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", localIp);
    }
}
