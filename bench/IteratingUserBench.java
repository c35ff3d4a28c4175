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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hot starts as users meet them, on the default settings (one warm driver per pool, growing with demand).
 *
 * <p>Starts the built server and, without waiting for any pool, plays an <em>iterating user</em>: submits the README's
 * example job, waits for its end, submits it again at once, {@code runs} times. Then a <em>burst</em>: 20 jobs of 3
 * teams submitted at the same moment. For each job it records submit → RUNNING as the client sees it (polling
 * every 20 ms) and whether it started on a warm driver (its log says "handed to warm driver"); it prints the
 * hot-start share and p50/p95 of submit → RUNNING, overall and for hot and cold starts. Nothing waits, untimed,
 * for a pool to refill.
 *
 * <p>Run from the repository root after {@code mvn -B -DskipTests package}:
 * {@code java bench/IteratingUserBench.java [runs=20] [server arguments...]}.
 */
public final class IteratingUserBench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([A-Z]+)\"");
    private static final Pattern JOB_ID = Pattern.compile("\"job_id\":\"([^\"]+)\"");
    private static final Pattern ADMIN = Pattern.compile("admin token \\(shown once, keep it\\): (\\S+)");
    private static final List<String> TEAMS = List.of("data-infra", "ads", "growth");

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        List<String> serverArgs = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
        Path jar = Path.of("dcp-server/target/dcp-server.jar");
        String body = readmeBody();
        Path dataDir = Files.createTempDirectory("dcp-iterating-bench-");
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        List<String> command = new ArrayList<>(List.of(javaBin(), "@dcp-server/jvm.options", "-jar", jar.toString(), "--server.data-dir=" + dataDir,
                "--server.port=" + port, "--server.grpc-port=" + freePort(), "--test-cluster.enabled=false",
                "--policy.write-namespaces.ads=derived", "--policy.write-namespaces.growth=derived"));
        command.addAll(serverArgs);
        System.out.printf("machine: %d cores; java %s; server arguments: %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), serverArgs.isEmpty() ? "(defaults)" : String.join(" ", serverArgs));
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("server.log").toFile()).start();
        try {
            awaitUp(base, server);
            String admin = find(ADMIN, Files.readString(dataDir.resolve("server.log")));

            List<double[]> iterating = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                double[] result = submitAndFollow(base, admin, body, "data-infra", "iterating-" + run);
                iterating.add(result);
                System.out.printf("iterating run %2d: RUNNING after %5.2f s (%s), ended after %5.2f s%n", run, result[0],
                        result[2] == 1 ? "hot" : "cold", result[1]);
            }
            report("iterating user", iterating);

            ExecutorService clients = Executors.newFixedThreadPool(20);
            List<Future<double[]>> burst = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String team = TEAMS.get(i % TEAMS.size());
                int index = i;
                burst.add(clients.submit(() -> submitAndFollow(base, admin, body, team, "burst-" + index)));
            }
            List<double[]> bursted = new ArrayList<>();
            for (Future<double[]> result : burst) {
                bursted.add(result.get());
            }
            clients.shutdown();
            report("burst of 20 (3 teams)", bursted);
            System.out.println("pools: " + get(base + "/api/v1/pools", admin));
        }
        finally {
            server.destroy();
            server.waitFor();
        }
    }

    /** submit → RUNNING (s), submit → end (s), 1 when it started hot. */
    private static double[] submitAndFollow(String base, String token, String body, String team, String name) throws Exception {
        String request = body.replaceFirst("\"name\":\\s*\"[^\"]*\"", "\"name\": \"" + name + "\"")
                .replaceFirst("\"team\":\\s*\"[^\"]*\"", "\"team\": \"" + team + "\"");
        long start = System.nanoTime();
        HttpResponse<String> submitted = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofString());
        if (submitted.statusCode() != 202) {
            throw new IllegalStateException("submit failed: " + submitted.statusCode() + " " + submitted.body());
        }
        String jobId = find(JOB_ID, submitted.body());
        double running = -1;
        while (true) {
            String status = find(STATUS, get(base + "/api/v1/jobs/" + jobId, token));
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (running < 0 && !status.equals("PENDING") && !status.equals("SUBMITTED")) {
                running = elapsed;
            }
            if (Arrays.asList("SUCCEEDED", "FAILED", "CANCELLED", "TIMEOUT").contains(status)) {
                if (!status.equals("SUCCEEDED")) {
                    throw new IllegalStateException("job " + jobId + " ended " + status);
                }
                boolean hot = get(base + "/api/v1/jobs/" + jobId + "/logs", token).contains("handed to warm driver");
                return new double[] {running, elapsed, hot ? 1 : 0};
            }
            Thread.sleep(20);
        }
    }

    private static void report(String name, List<double[]> results) {
        long hot = results.stream().filter(r -> r[2] == 1).count();
        System.out.printf("%n%s: %d of %d started hot (%.0f %%); submit -> RUNNING p50 %.2f s, p95 %.2f s"
                        + " (hot p50 %s, cold p50 %s)%n%n", name, hot, results.size(), 100.0 * hot / results.size(),
                percentile(results, 50, r -> true), percentile(results, 95, r -> true),
                format(percentile(results, 50, r -> r[2] == 1)), format(percentile(results, 50, r -> r[2] == 0)));
    }

    private static double percentile(List<double[]> results, double p, java.util.function.Predicate<double[]> which) {
        double[] values = results.stream().filter(which).mapToDouble(r -> r[0]).sorted().toArray();
        return values.length == 0 ? Double.NaN : values[Math.max(0, (int) Math.ceil(p / 100 * values.length) - 1)];
    }

    private static String format(double seconds) {
        return Double.isNaN(seconds) ? "-" : String.format("%.2f s", seconds);
    }

    private static String get(String url, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
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

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected answer: " + text);
        }
        return matcher.group(1);
    }

    private static String readmeBody() throws IOException {
        Matcher matcher = Pattern.compile("curl -X POST http://localhost:8080/api/v1/jobs .*?<<'EOF'\\n(.*?)\\nEOF\\n",
                Pattern.DOTALL).matcher(Files.readString(Path.of("README.md")));
        if (!matcher.find()) {
            throw new IllegalStateException("README.md has no curl submit example");
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
}
