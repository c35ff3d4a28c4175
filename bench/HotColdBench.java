import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold vs hot start of the seed example job on the embedded default (local backend).
 *
 * <p>Starts the built server ({@code dcp-server/target/dcp-server.jar}) twice over one data directory: without a hot
 * pool (every job starts its own driver JVM), then with a hot pool of one warm driver. Each time it submits the
 * README's example job {@code runs} times, one after another, and measures submit → RUNNING and submit → SUCCEEDED
 * as a client sees them (polling the REST API every 20 ms). In the hot phase it waits, untimed, for the pool to hold
 * an idle warm driver before each submit. Prints every run, then medians, p95 and the hot/cold ratios.
 *
 * <p>Run from the repository root after {@code mvn -B -DskipTests package}:
 * {@code java bench/HotColdBench.java [runs=20]}.
 */
public final class HotColdBench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOKEN = "demo-token";
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([A-Z]+)\"");
    private static final Pattern JOB_ID = Pattern.compile("\"job_id\":\"([^\"]+)\"");
    private static final Pattern IDLE = Pattern.compile("\"idle\":(\\d+)");

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        // Any further arguments go to the server, e.g. --gateway.sandbox.mode=off to time drivers without the sandbox.
        List<String> serverArgs = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
        Path jar = Path.of("dcp-server/target/dcp-server.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build first: mvn -B -DskipTests package");
        }
        String body = readmeBody();
        Path dataDir = Files.createTempDirectory("dcp-bench-");
        System.out.printf("machine: %d cores, %s; java %s; data dir %s%n", Runtime.getRuntime().availableProcessors(),
                memory(), System.getProperty("java.version"), dataDir);

        System.out.println("server arguments: " + (serverArgs.isEmpty() ? "(none)" : String.join(" ", serverArgs)));
        List<double[]> cold = phase("cold", jar, dataDir, "", body, runs, serverArgs);
        List<double[]> hot = phase("hot", jar, dataDir, "3.5/default=1", body, runs, serverArgs);

        System.out.println();
        System.out.printf("%-22s %14s %14s %14s %14s%n", "", "cold median", "cold p95", "hot median", "hot p95");
        for (int column = 0; column < 2; column++) {
            double[] c = stats(cold, column);
            double[] h = stats(hot, column);
            System.out.printf("%-22s %12.2f s %12.2f s %12.2f s %12.2f s   cold/hot median ratio %.1fx%n",
                    column == 0 ? "submit -> RUNNING" : "submit -> SUCCEEDED", c[0], c[1], h[0], h[1], c[0] / h[0]);
        }
    }

    private static List<double[]> phase(String name, Path jar, Path dataDir, String pools, String body, int runs,
            List<String> serverArgs) throws Exception {
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        List<String> command = new ArrayList<>(List.of(javaBin(), "@dcp-server/jvm.options", "-jar", jar.toString(), "--server.data-dir=" + dataDir,
                "--server.port=" + port, "--server.grpc-port=" + freePort(), "--gateway.hot-pool.pools=" + pools,
                "--test-cluster.enabled=false"));
        command.addAll(serverArgs);
        Process server = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("server-" + name + ".log").toFile())
                .start();
        List<double[]> results = new ArrayList<>();
        try {
            awaitUp(base, server);
            System.out.printf("%n== %s (%s)%n", name, pools.isEmpty() ? "no hot pool" : "hot pool " + pools);
            for (int run = 1; run <= runs; run++) {
                if (!pools.isEmpty()) {
                    awaitIdleWarmDriver(base);
                }
                double[] times = submitAndFollow(base, body);
                results.add(times);
                System.out.printf("%s run %2d: RUNNING after %6.2f s, SUCCEEDED after %6.2f s%n", name, run, times[0], times[1]);
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

    private static void awaitIdleWarmDriver(String base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher idle = IDLE.matcher(get(base + "/api/v1/pools"));
            if (idle.find() && Integer.parseInt(idle.group(1)) > 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no warm driver became idle within 5 minutes");
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

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String memory() {
        long bytes = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
        return String.format("%.1f GiB RAM", bytes / (double) (1L << 30));
    }
}
