import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed example job on the local and the docker backend, on the embedded hadoop catalog and on Iceberg's JDBC
 * catalog (this machine's PostgreSQL) with its warehouse on S3 (S3Proxy on 127.0.0.1).
 *
 * <p>Four phases, each a start of the built server ({@code dcp-server/target/dcp-server.jar}) with no hot pool and no
 * test cluster, the demo table created at its start: local/hadoop, docker/hadoop, local/jdbc+S3, docker/jdbc+S3. In
 * each it submits the README's example job {@code runs} times, one after another, and measures submit → RUNNING and
 * submit → SUCCEEDED as a client sees them (polling the REST API every 20 ms). Prints every run, then medians and p95.
 *
 * <p>Run from the repository root after {@code mvn -B -DskipTests install} and {@code BASE_IMAGE=debian
 * docker/build.sh 3.5 4.0}, as root with a Docker engine and PostgreSQL on 127.0.0.1:5432 (trust auth), with the
 * PostgreSQL driver on the class path: {@code java -cp ~/.m2/repository/org/postgresql/postgresql/42.7.7/postgresql-42.7.7.jar
 * bench/BackendsBench.java [runs=10]}.
 */
public final class BackendsBench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOKEN = "demo-token";
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([A-Z]+)\"");
    private static final Pattern JOB_ID = Pattern.compile("\"job_id\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path jar = Path.of("dcp-server/target/dcp-server.jar");
        Path s3proxy = Path.of("test-servers/s3proxy/target/classpath");
        if (!Files.exists(jar) || !Files.isDirectory(s3proxy)) {
            throw new IllegalStateException("build first: mvn -B -DskipTests install");
        }
        String body = readmeBody();
        Path work = Files.createTempDirectory("dcp-backends-bench-");
        // Searchable by the sandbox's run users (the server runs as root), as a data dir must be.
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        System.out.printf("machine: %d cores, %s; java %s; %d runs per phase%n", Runtime.getRuntime().availableProcessors(),
                memory(), System.getProperty("java.version"), runs);

        Map<String, List<double[]>> results = new LinkedHashMap<>();
        Path hadoop = Files.createDirectories(work.resolve("hadoop"));
        if (args.length > 1 && args[1].equals("hot")) {
            // An iterating user on the hot pools: each job submitted as soon as the previous one ended, or after the
            // user's think time (the third argument, seconds), never after waiting for the platform to be ready.
            thinkMillis = args.length > 2 ? Long.parseLong(args[2]) * 1000 : 0;
            results.put("local, hot pool", phase("local-hot", jar, hadoop, body, runs,
                    List.of("--gateway.hot-pool.pools=3.5/default")));
            results.put("docker, hot pool", phase("docker-hot", jar, hadoop, body, runs,
                    List.of("--gateway.docker.enabled=true", "--gateway.default-backend=docker",
                            "--gateway.docker.hot-pool.pools=3.5/default")));
            report(results);
            return;
        }
        results.put("local, hadoop", phase("local-hadoop", jar, hadoop, body, runs, List.of()));
        results.put("docker, hadoop", phase("docker-hadoop", jar, hadoop, body, runs,
                List.of("--gateway.docker.enabled=true", "--gateway.default-backend=docker")));

        String database = "dcp_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "")) {
            connection.createStatement().execute("CREATE DATABASE " + database);
        }
        Process s3 = startS3Proxy(s3proxy, Files.createDirectories(work.resolve("s3")));
        try {
            List<String> jdbcOnS3 = List.of("--gateway.catalog.type=jdbc",
                    "--gateway.catalog.uri=jdbc:postgresql://127.0.0.1:5432/" + database,
                    "--gateway.catalog.jdbc.user=postgres", "--gateway.catalog.warehouse=s3://tables/warehouse",
                    "--gateway.s3.endpoint=http://127.0.0.1:" + S3_PORT, "--gateway.s3.path-style-access=true",
                    "--gateway.s3.access-key-id=bench-key", "--gateway.s3.secret-access-key=bench-secret");
            Path jdbc = Files.createDirectories(work.resolve("jdbc"));
            results.put("local, jdbc+S3", phase("local-jdbc", jar, jdbc, body, runs, jdbcOnS3));
            List<String> dockerJdbc = new ArrayList<>(jdbcOnS3);
            dockerJdbc.addAll(List.of("--gateway.docker.enabled=true", "--gateway.default-backend=docker"));
            results.put("docker, jdbc+S3", phase("docker-jdbc", jar, jdbc, body, runs, dockerJdbc));
        }
        finally {
            s3.destroy();
            s3.waitFor();
            try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "")) {
                connection.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }

        report(results);
    }

    private static void report(Map<String, List<double[]>> results) {
        System.out.println();
        System.out.printf("%-18s %16s %16s %18s %18s%n", "backend, catalog", "RUNNING median", "RUNNING p95",
                "SUCCEEDED median", "SUCCEEDED p95");
        for (Map.Entry<String, List<double[]>> phase : results.entrySet()) {
            double[] running = stats(phase.getValue(), 0);
            double[] succeeded = stats(phase.getValue(), 1);
            System.out.printf("%-18s %14.2f s %14.2f s %16.2f s %16.2f s%n", phase.getKey(), running[0], running[1],
                    succeeded[0], succeeded[1]);
        }
    }

    private static final int S3_PORT = freePortUnchecked();
    private static long thinkMillis;

    private static Process startS3Proxy(Path classPath, Path dir) throws Exception {
        Files.createDirectories(dir.resolve("data").resolve("tables"));
        Path conf = dir.resolve("s3proxy.conf");
        Files.writeString(conf, String.join("\n", "s3proxy.endpoint=http://127.0.0.1:" + S3_PORT,
                "s3proxy.authorization=aws-v2-or-v4", "s3proxy.identity=bench-key", "s3proxy.credential=bench-secret",
                "jclouds.provider=filesystem", "jclouds.filesystem.basedir=" + dir.resolve("data")));
        Path logback = dir.resolve("logback.xml");
        Files.writeString(logback, "<configuration><root level=\"WARN\"/></configuration>");
        Process process = new ProcessBuilder(javaBin(), "-Xmx256m", "-Dlogback.configurationFile=" + logback, "-cp",
                classPath.toAbsolutePath() + "/*", "org.gaul.s3proxy.Main", "--properties", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", S3_PORT)) {
                return process;
            }
            catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("S3Proxy did not start");
    }

    private static List<double[]> phase(String name, Path jar, Path dataDir, String body, int runs, List<String> serverArgs)
            throws Exception {
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        List<String> command = new ArrayList<>(List.of(javaBin(), "@dcp-server/jvm.options", "-jar", jar.toString(), "--server.data-dir=" + dataDir,
                "--server.port=" + port, "--server.grpc-port=" + freePort(), "--test-cluster.enabled=false"));
        if (serverArgs.stream().noneMatch(arg -> arg.startsWith("--gateway.hot-pool.pools="))) {
            command.add("--gateway.hot-pool.pools=");
        }
        command.addAll(serverArgs);
        Process server = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("server-" + name + ".log").toFile())
                .start();
        List<double[]> results = new ArrayList<>();
        try {
            awaitUp(base, server);
            System.out.printf("%n== %s%n", name);
            if (name.endsWith("-hot")) {
                // Once, before the first run: a server that has been up a while has its pool warm. Never between runs.
                long ready = System.nanoTime();
                while (!get(base + "/api/v1/pools").matches("(?s).*\"idle\":[1-9].*")) {
                    Thread.sleep(200);
                }
                System.out.printf("%s: pool warm %.1f s after the server answered%n", name, (System.nanoTime() - ready) / 1e9);
            }
            for (int run = 1; run <= runs; run++) {
                if (run > 1 && thinkMillis > 0) {
                    Thread.sleep(thinkMillis);
                }
                double[] times = submitAndFollow(base, body);
                results.add(times);
                System.out.printf("%s run %2d: RUNNING after %6.2f s, SUCCEEDED after %6.2f s%n", name, run, times[0], times[1]);
            }
            if (name.endsWith("-hot")) {
                Matcher handOffs = Pattern.compile("\"hand_offs\":(\\d+),\"cold_starts\":(\\d+)").matcher(get(base + "/api/v1/pools"));
                long hot = 0;
                long cold = 0;
                while (handOffs.find()) {
                    hot += Long.parseLong(handOffs.group(1));
                    cold += Long.parseLong(handOffs.group(2));
                }
                System.out.printf("%s: %d of %d runs started hot%n", name, hot, hot + cold);
            }
            return results;
        }
        finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static double[] submitAndFollow(String base, String body) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> submitted = HTTP.send(request(base + "/api/v1/jobs")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (submitted.statusCode() != 202) {
            throw new IllegalStateException("submit failed: " + submitted.statusCode() + " " + submitted.body());
        }
        String jobId = find(JOB_ID, submitted.body());
        double running = -1;
        while (true) {
            String status = find(STATUS, get(base + "/api/v1/jobs/" + jobId));
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (running < 0 && (status.equals("RUNNING") || status.equals("SUCCEEDED"))) {
                running = elapsed;
            }
            if (status.equals("SUCCEEDED")) {
                return new double[] {running, elapsed};
            }
            if (status.equals("FAILED") || status.equals("CANCELLED") || status.equals("TIMEOUT")) {
                throw new IllegalStateException("job " + jobId + " ended " + status);
            }
            Thread.sleep(20);
        }
    }

    private static void awaitUp(String base, Process server) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited with " + server.exitValue());
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            }
            catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server did not start within 5 minutes");
    }

    /** Median and p95 (nearest rank) of one column. */
    private static double[] stats(List<double[]> rows, int column) {
        double[] values = rows.stream().mapToDouble(row -> row[column]).sorted().toArray();
        int n = values.length;
        double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        double p95 = values[Math.max(0, (int) Math.ceil(0.95 * n) - 1)];
        return new double[] {median, p95};
    }

    private static String readmeBody() throws IOException {
        Matcher matcher = Pattern.compile("curl -X POST http://localhost:8080/api/v1/jobs .*?<<'EOF'\\n(.*?)\\nEOF\\n",
                Pattern.DOTALL).matcher(Files.readString(Path.of("README.md")));
        if (!matcher.find()) {
            throw new IllegalStateException("README.md has no curl submit example");
        }
        return matcher.group(1);
    }

    private static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN);
    }

    private static String get(String url) throws Exception {
        return HTTP.send(request(url).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected answer: " + text);
        }
        return matcher.group(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static int freePortUnchecked() {
        try {
            return freePort();
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String memory() {
        long bytes = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
        return String.format("%.1f GiB RAM", bytes / (double) (1L << 30));
    }
}
