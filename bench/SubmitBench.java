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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Submit throughput and latency, and status-read latency, as clients see them over REST.
 *
 * <p>Starts the built server ({@code dcp-server/target/dcp-server.jar}; hot pool and test cluster off, admission
 * {@code max-running} as given) and, for each backlog size, fills the backlog with PENDING jobs, then times
 * {@code submits} submits of the README's example job over 16 and over 64 connections (each submit is durable
 * when it is answered: the store commits first). Then it reads job statuses at a fixed rate of 500 and 2,000
 * requests a second for 10 s each, over the jobs stored, while the admitted Spark jobs run, and reports p50/p99.
 *
 * <p>Run from the repository root after {@code mvn -B -DskipTests package}:
 * {@code java bench/SubmitBench.java [submits=3000] [backlogs=0,10000] [max-running=4] [server arguments...]};
 * e.g. {@code --store.jdbc-url=jdbc:postgresql://127.0.0.1:5432/test --store.username=postgres} for PostgreSQL
 * (use an empty database: the bench counts every job as its own).
 */
public final class SubmitBench {
    private static final String TOKEN = "demo-token";
    private static final Pattern JOB_ID = Pattern.compile("\"job_id\":\"([^\"]+)\"");
    private static final int[] CONNECTIONS = {16, 64};
    private static final int[] READ_RATES = {500, 2000};

    public static void main(String[] args) throws Exception {
        int submits = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int[] backlogs = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {0, 10_000};
        int maxRunning = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        List<String> serverArgs = args.length > 3 ? List.of(args).subList(3, args.length) : List.of();
        Path jar = Path.of("dcp-server/target/dcp-server.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build first: mvn -B -DskipTests package");
        }
        String body = readmeBody();
        System.out.printf("machine: %d cores, %s; java %s; max-running %d; server arguments: %s%n",
                Runtime.getRuntime().availableProcessors(), memory(), System.getProperty("java.version"), maxRunning,
                serverArgs.isEmpty() ? "(none)" : String.join(" ", serverArgs));
        for (int backlog : backlogs) {
            Path dataDir = Files.createTempDirectory("dcp-submit-bench-");
            int port = freePort();
            String base = "http://127.0.0.1:" + port;
            List<String> command = new ArrayList<>(List.of(javaBin(), "@dcp-server/jvm.options", "-jar", jar.toString(), "--server.data-dir=" + dataDir,
                    "--server.port=" + port, "--server.grpc-port=" + freePort(), "--gateway.hot-pool.pools=",
                    "--test-cluster.enabled=false", "--runner.admission.max-running=" + maxRunning));
            command.addAll(serverArgs);
            Process server = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("server.log").toFile()).start();
            try {
                awaitUp(base, server);
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                List<String> jobIds = new java.util.concurrent.CopyOnWriteArrayList<>();
                if (backlog > 0) {
                    long start = System.nanoTime();
                    submitAll(http, base, body, backlog, 64, jobIds);
                    System.out.printf("%nbacklog: %d jobs submitted in %.1f s%n", backlog, (System.nanoTime() - start) / 1e9);
                }
                for (int connections : CONNECTIONS) {
                    long start = System.nanoTime();
                    double[] latencies = submitAll(http, base, body, submits, connections, jobIds);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    Arrays.sort(latencies);
                    System.out.printf("backlog %,6d, %2d connections: %,5d submits in %5.2f s = %,6.0f submits/s;"
                                    + " latency p50 %6.1f ms, p95 %6.1f ms, p99 %6.1f ms%n",
                            backlog, connections, submits, seconds, submits / seconds, percentile(latencies, 50),
                            percentile(latencies, 95), percentile(latencies, 99));
                }
                for (int rate : READ_RATES) {
                    for (String client : List.of("JDK HttpClient, 64 threads", "keep-alive sockets, 16 connections")) {
                        double[] latencies = client.startsWith("JDK")
                                ? readAtRate(http, base, jobIds, rate, Duration.ofSeconds(10))
                                : readAtRateOverSockets(port, jobIds, rate, Duration.ofSeconds(10), 16);
                        Arrays.sort(latencies);
                        System.out.printf("status reads at %,5d/s over %,6d stored jobs (%d running), %s: p50 %5.2f ms,"
                                        + " p99 %6.2f ms, max %6.1f ms%n", rate, jobIds.size(), maxRunning, client,
                                percentile(latencies, 50), percentile(latencies, 99), latencies[latencies.length - 1]);
                    }
                }
            }
            finally {
                server.destroy();
                server.waitFor();
                // The drivers outlive a stopped server by design (a restarted one adopts them); the next backlog's
                // figures must not pay for this one's.
                String runs = dataDir.toString();
                ProcessHandle.allProcesses()
                        .filter(process -> process.info().commandLine().map(line -> line.contains(runs)).orElse(false))
                        .forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** Submits {@code count} jobs over {@code connections} client threads; the latency of each in ms. */
    private static double[] submitAll(HttpClient http, String base, String body, int count, int connections,
            List<String> jobIds) throws Exception {
        double[] latencies = new double[count];
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(connections);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            done.add(clients.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    long start = System.nanoTime();
                    HttpResponse<String> response = http.send(request(base + "/api/v1/jobs")
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    latencies[i] = (System.nanoTime() - start) / 1e6;
                    if (response.statusCode() != 202) {
                        throw new IllegalStateException("submit answered " + response.statusCode() + ": " + response.body());
                    }
                    Matcher id = JOB_ID.matcher(response.body());
                    if (id.find()) {
                        jobIds.add(id.group(1));
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        clients.shutdown();
        return latencies;
    }

    /** GETs random jobs' statuses at {@code rate} a second (open loop) for {@code duration}; latencies in ms. */
    private static double[] readAtRate(HttpClient http, String base, List<String> jobIds, int rate, Duration duration)
            throws Exception {
        int total = (int) (rate * duration.toSeconds());
        double[] latencies = new double[total];
        ExecutorService clients = Executors.newFixedThreadPool(64);
        long start = System.nanoTime();
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int index = i;
            String jobId = jobIds.get(ThreadLocalRandom.current().nextInt(jobIds.size()));
            done.add(clients.submit(() -> {
                HttpResponse<String> response = http.send(request(base + "/api/v1/jobs/" + jobId).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                // Measured from when the request was due, so a server that falls behind shows it.
                latencies[index] = (System.nanoTime() - due) / 1e6;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("status answered " + response.statusCode());
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        clients.shutdown();
        return latencies;
    }

    /**
     * The same open-loop reads from a load generator that costs the shared 2 cores little (as wrk2 does): a pacing
     * thread hands each request's due time to {@code connections} threads, each writing HTTP/1.1 requests on one
     * kept-alive socket and reading the answers. Latency again from when each request was due.
     */
    private static double[] readAtRateOverSockets(int port, List<String> jobIds, int rate, Duration duration,
            int connections) throws Exception {
        int total = (int) (rate * duration.toSeconds());
        double[] latencies = new double[total];
        java.util.concurrent.BlockingQueue<long[]> due = new java.util.concurrent.LinkedBlockingQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(connections);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            done.add(clients.submit(() -> {
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                    socket.setTcpNoDelay(true);
                    java.io.OutputStream out = socket.getOutputStream();
                    java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
                    for (long[] next = due.take(); next[0] >= 0; next = due.take()) {
                        String jobId = jobIds.get(ThreadLocalRandom.current().nextInt(jobIds.size()));
                        out.write(("GET /api/v1/jobs/" + jobId + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                                + "\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        out.flush();
                        int status = readResponse(in);
                        latencies[(int) next[0]] = (System.nanoTime() - next[1]) / 1e6;
                        if (status != 200) {
                            throw new IllegalStateException("status answered " + status);
                        }
                    }
                }
                return null;
            }));
        }
        long start = System.nanoTime();
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        for (int i = 0; i < total; i++) {
            long dueAt = start + i * intervalNanos;
            long wait = dueAt - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            due.add(new long[] {i, dueAt});
        }
        for (int c = 0; c < connections; c++) {
            due.add(new long[] {-1, 0});
        }
        for (Future<?> future : done) {
            future.get();
        }
        clients.shutdown();
        return latencies;
    }

    /** Reads one HTTP/1.1 response (Content-Length or chunked body) and returns its status code. */
    private static int readResponse(java.io.InputStream in) throws IOException {
        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        long length = -1;
        boolean chunked = false;
        for (String header = readLine(in); !header.isEmpty(); header = readLine(in)) {
            String lower = header.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            }
            else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(readLine(in).split(";")[0].trim(), 16); size > 0;
                    size = Long.parseLong(readLine(in).split(";")[0].trim(), 16)) {
                in.skipNBytes(size);
                readLine(in);
            }
            readLine(in);
        }
        else if (length > 0) {
            in.skipNBytes(length);
        }
        return status;
    }

    private static String readLine(java.io.InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the server closed the connection");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    private static void awaitUp(String base, Process server) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited with " + server.exitValue());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
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
