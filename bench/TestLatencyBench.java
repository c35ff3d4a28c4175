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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code test} latency through the REST API on a warm test cluster ("Option B" of the testing design) against
 * "Option A": a cold batch job that runs EXPLAIN through spark-submit.
 *
 * <p>Starts the built server ({@code dcp-server/target/dcp-server.jar}, no hot pool) over a new data directory,
 * creates two more fixture tables, waits for the test cluster, then for two specs — the seed README's example and a
 * spec with three sources and three transformations — runs {@code POST /api/v1/tests} {@code runs} times
 * (after 3 untimed warm-up calls) and the Option A job {@code runs} times, and prints medians, p95 and ratios.
 *
 * <p>Run from the repository root after {@code mvn -B -DskipTests package}: {@code java bench/TestLatencyBench.java [runs=30]}.
 */
public final class TestLatencyBench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([A-Z]+)\"");
    private static final Pattern JOB_ID = Pattern.compile("\"job_id\":\"([^\"]+)\"");

    private static final String SEED_SPEC = """
            {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
             "transformations": [{"type": "sql", "query": "SELECT * FROM source WHERE event_type = 'order'"}],
             "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "orders"}]}""";
    private static final String SEED_QUERY = "SELECT * FROM pedregal.raw.events WHERE event_type = 'order'";

    private static final String WIDE_SPEC = """
            {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"},
                         {"type": "iceberg", "catalog": "pedregal", "database": "bench", "table": "users"},
                         {"type": "iceberg", "catalog": "pedregal", "database": "bench", "table": "teams"}],
             "transformations": [
               {"type": "sql", "name": "orders", "query": "SELECT user_id, amount, event_date FROM events WHERE event_type = 'order'"},
               {"type": "sql", "name": "enriched", "query": "SELECT o.event_date, u.team_id, o.amount FROM orders o JOIN users u ON o.user_id = u.user_id"},
               {"type": "sql", "query": "SELECT e.event_date, t.team_name, sum(e.amount) AS total FROM enriched e JOIN teams t ON e.team_id = t.team_id GROUP BY e.event_date, t.team_name"}],
             "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "team_daily"}]}""";
    private static final String WIDE_QUERY = "SELECT e.event_date, t.team_name, sum(e.amount) AS total FROM"
            + " (SELECT event_date, user_id, amount FROM pedregal.raw.events WHERE event_type = 'order') e"
            + " JOIN pedregal.bench.users u ON e.user_id = u.user_id JOIN pedregal.bench.teams t ON u.team_id = t.team_id"
            + " GROUP BY e.event_date, t.team_name";

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path dataDir = Files.createTempDirectory("dcp-bench-test-");
        System.out.printf("machine: %d cores, %s; java %s; data dir %s%n", Runtime.getRuntime().availableProcessors(),
                memory(), System.getProperty("java.version"), dataDir);
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        Process server = new ProcessBuilder(javaBin(), "@dcp-server/jvm.options", "-jar", "dcp-server/target/dcp-server.jar",
                "--server.data-dir=" + dataDir, "--server.port=" + port, "--server.grpc-port=" + freePort(),
                "--test-cluster.proxy-port=" + freePort(), "--gateway.hot-pool.pools=",
                // Option A runs the query tool as a custom jar: code of the team's own, which the policy must allow.
                "--policy.custom-code.teams=data-infra",
                "--policy.custom-code.jar-locations=" + Path.of("spark-dist/target/runtimes").toAbsolutePath().normalize())
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("server.log").toFile()).start();
        try {
            awaitUp(base, server);
            String jar = Path.of("spark-dist/target/runtimes/3.5/app/coreetl.jar").toAbsolutePath().normalize().toString();
            runJob(base, queryJob(jar, "bench-fixtures",
                    "CREATE TABLE pedregal.bench.users USING iceberg AS SELECT id AS user_id, id % 7 AS team_id FROM range(2000)",
                    "CREATE TABLE pedregal.bench.teams USING iceberg AS SELECT id AS team_id, concat('team-', id) AS team_name FROM range(7)"));
            awaitTestCluster(base);
            for (String[] spec : List.of(new String[] {"seed example", SEED_SPEC, SEED_QUERY},
                    new String[] {"3 sources, 3 transformations", WIDE_SPEC, WIDE_QUERY})) {
                for (int i = 0; i < 3; i++) {
                    test(base, spec[1]);
                }
                double[] optionB = new double[runs];
                double[] optionA = new double[runs];
                for (int run = 0; run < runs; run++) {
                    optionB[run] = test(base, spec[1]);
                }
                for (int run = 0; run < runs; run++) {
                    optionA[run] = runJob(base, queryJob(jar, "bench-explain", "EXPLAIN FORMATTED " + spec[2]));
                }
                System.out.printf("%n== %s (%d runs each)%n", spec[0], runs);
                System.out.printf("Option B, POST /api/v1/tests (warm cluster): median %.3f s, p95 %.3f s%n",
                        median(optionB), p95(optionB));
                System.out.printf("Option A, cold EXPLAIN batch job:            median %.3f s, p95 %.3f s%n",
                        median(optionA), p95(optionA));
                System.out.printf("ratio A/B (medians): %.1fx%n", median(optionA) / median(optionB));
            }
        }
        finally {
            server.destroy();
            server.waitFor();
        }
    }

    /** One {@code test} call; returns its seconds. */
    private static double test(String base, String spec) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = post(base + "/api/v1/tests", "{\"job_spec\": " + spec + "}");
        double seconds = (System.nanoTime() - start) / 1e9;
        if (response.statusCode() != 200 || !response.body().contains("\"status\":\"PASSED\"")) {
            throw new IllegalStateException("test failed: " + response.statusCode() + " " + response.body());
        }
        return seconds;
    }

    private static String queryJob(String jar, String name, String... queries) {
        StringBuilder args = new StringBuilder();
        for (String query : queries) {
            args.append(args.length() == 0 ? "" : ", ").append('"').append(query.replace("\"", "\\\"")).append('"');
        }
        return "{\"name\": \"" + name + "\", \"team\": \"data-infra\", \"user\": \"user@doordash.com\", \"config\": {"
                + "\"spark_version\": \"3.5\", \"custom_jar\": {\"jar_path\": \"" + jar + "\", \"main_class\":"
                + " \"com.doordash.pedregal.coreetl.QueryMain\", \"args\": [" + args + "]}}}";
    }

    /** Submits a job and waits until it succeeds; returns submit → SUCCEEDED in seconds. */
    private static double runJob(String base, String body) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> submitted = post(base + "/api/v1/jobs", body);
        if (submitted.statusCode() != 202) {
            throw new IllegalStateException("submit failed: " + submitted.statusCode() + " " + submitted.body());
        }
        String jobId = find(JOB_ID, submitted.body());
        while (true) {
            String status = find(STATUS, get(base + "/api/v1/jobs/" + jobId));
            if (status.equals("SUCCEEDED")) {
                return (System.nanoTime() - start) / 1e9;
            }
            if (Arrays.asList("FAILED", "CANCELLED", "TIMEOUT").contains(status)) {
                throw new IllegalStateException("job " + jobId + " ended " + status);
            }
            Thread.sleep(20);
        }
    }

    private static void awaitTestCluster(String base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (post(base + "/api/v1/tests", "{\"job_spec\": " + SEED_SPEC + "}").statusCode() == 200) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the test cluster did not come up within 5 minutes");
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

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer demo-token")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer demo-token").GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected answer: " + text);
        }
        return matcher.group(1);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double p95(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(0.95 * sorted.length) - 1)];
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
