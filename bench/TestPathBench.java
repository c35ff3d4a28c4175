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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The test path under a cluster crash: 50 clients call {@code POST /api/v1/tests} in a loop while a prober reads
 * {@code /healthz} every 20 ms; after 10 s the test cluster's JVM is killed ({@code kill -9}); the calls go on for
 * {@code seconds} more. Prints the {@code /healthz} latencies over the whole phase, how the test calls ended (200,
 * 503, other), the longest call, and how long after the kill calls succeeded again.
 *
 * <p>Run from the repository root after {@code mvn -B -DskipTests package}:
 * {@code java bench/TestPathBench.java [seconds=90] [server arguments...]}.
 */
public final class TestPathBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The health probe's own client, as a load balancer's or kubelet's would be: not queued behind the test calls. */
    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String SPEC = """
            {"job_spec": {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
              "transformations": [{"type": "sql", "query": "SELECT * FROM source WHERE event_type = 'order'"}],
              "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "orders"}]}}
            """;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 90;
        List<String> serverArgs = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
        Path dataDir = Files.createTempDirectory("dcp-testpath-bench-");
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@dcp-server/jvm.options", "-jar", "dcp-server/target/dcp-server.jar", "--server.data-dir=" + dataDir, "--server.port=" + port,
                "--server.grpc-port=" + freePort(), "--test-cluster.proxy-port=" + freePort(), "--gateway.hot-pool.pools="));
        command.addAll(serverArgs);
        System.out.printf("machine: %d cores; java %s; %d s of calls; server arguments: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), seconds,
                serverArgs.isEmpty() ? "(defaults)" : String.join(" ", serverArgs));
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("server.log").toFile()).start();
        try {
            long waitStart = System.nanoTime();
            while (!answers(base)) {
                if (!server.isAlive() || System.nanoTime() - waitStart > TimeUnit.MINUTES.toNanos(5)) {
                    throw new IllegalStateException("the test cluster did not answer within 5 minutes");
                }
                Thread.sleep(500);
            }
            System.out.printf("test cluster answering after %.1f s%n", (System.nanoTime() - waitStart) / 1e9);

            AtomicBoolean running = new AtomicBoolean(true);
            List<Double> health = Collections.synchronizedList(new ArrayList<>());
            List<String> slowReads = Collections.synchronizedList(new ArrayList<>());
            long callsStart = System.nanoTime();
            Thread prober = new Thread(() -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    try {
                        PROBE.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).timeout(Duration.ofSeconds(10)).build(),
                                HttpResponse.BodyHandlers.discarding());
                        double millis = (System.nanoTime() - start) / 1e6;
                        health.add(millis);
                        if (millis > 50) {
                            slowReads.add(String.format("%.1f ms at %+.1f s", millis, (start - callsStart) / 1e9));
                        }
                        Thread.sleep(20);
                    }
                    catch (IOException | InterruptedException e) {
                        health.add((System.nanoTime() - start) / 1e6);
                    }
                }
            });
            prober.start();
            Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
            List<Double> durations = Collections.synchronizedList(new ArrayList<>());
            AtomicLong killedAt = new AtomicLong();
            AtomicLong firstSuccessAfterKill = new AtomicLong();
            ExecutorService clients = Executors.newFixedThreadPool(50);
            long phaseEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 10);
            for (int c = 0; c < 50; c++) {
                clients.execute(() -> {
                    while (System.nanoTime() < phaseEnd) {
                        long start = System.nanoTime();
                        String outcome;
                        try {
                            int status = call(base).statusCode();
                            outcome = Integer.toString(status);
                            if (status == 200 && killedAt.get() != 0 && start > killedAt.get()) {
                                firstSuccessAfterKill.compareAndSet(0, System.nanoTime());
                            }
                        }
                        catch (IOException | InterruptedException e) {
                            outcome = e.getClass().getSimpleName();
                        }
                        durations.add((System.nanoTime() - start) / 1e9);
                        outcomes.computeIfAbsent(outcome, key -> new AtomicLong()).incrementAndGet();
                        if (!outcome.equals("200")) {
                            try {
                                Thread.sleep(200);
                            }
                            catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                });
            }
            Thread.sleep(10_000);
            long clusterPid = clusterPid();
            ProcessHandle.of(clusterPid).ifPresent(ProcessHandle::destroyForcibly);
            killedAt.set(System.nanoTime());
            System.out.printf("killed the test cluster (process %d) after 10 s of calls%n", clusterPid);
            clients.shutdown();
            clients.awaitTermination(seconds + 120, TimeUnit.SECONDS);
            running.set(false);
            prober.join();

            double[] healthSorted = health.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf("/healthz over the phase: %d reads, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", healthSorted.length,
                    percentile(healthSorted, 50), percentile(healthSorted, 99), healthSorted[healthSorted.length - 1]);
            System.out.printf("/healthz reads over 50 ms (time from the start of the calls; the kill at +10.0 s): %s%n",
                    slowReads.isEmpty() ? "none" : String.join(", ", slowReads));
            System.out.printf("test calls: %s; longest call %.1f s%n", outcomes, durations.stream().mapToDouble(d -> d).max().orElse(0));
            System.out.printf("calls succeeded again %s after the kill%n", firstSuccessAfterKill.get() == 0 ? "never"
                    : String.format("%.1f s", (firstSuccessAfterKill.get() - killedAt.get()) / 1e9));
        }
        finally {
            server.destroy();
            server.waitFor();
        }
    }

    /** Whether a test call succeeds (the server is up and its cluster answers). */
    private static boolean answers(String base) throws InterruptedException {
        try {
            return call(base).statusCode() == 200;
        }
        catch (IOException e) {
            return false; // not listening yet
        }
    }

    private static HttpResponse<String> call(String base) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tests")).timeout(Duration.ofSeconds(180))
                .header("Authorization", "Bearer demo-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SPEC)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The test cluster's JVM: the process running SparkConnectServer under the platform's wrapper. */
    private static long clusterPid() {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().map(line -> line.contains("test-cluster/server.args")
                        && line.contains("/bin/java")).orElse(false))
                .mapToLong(ProcessHandle::pid)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no test cluster process found"));
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
