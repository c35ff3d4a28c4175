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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Nothing answered is lost: {@code kill -9} of the server in the middle of a burst of submits, then a restart.
 *
 * <p>Starts the built server (hot pool and test cluster off, admission {@code max-running=2}), submits {@code jobs}
 * copies of the README's example job over 16 connections, each with its own idempotency key, and kills the server
 * ({@code SIGKILL}) once {@code killAfter} submits were answered. After a restart on the same data directory it
 * checks that every job answered 202 exists, resubmits every key (an answered job must come back as the same job,
 * 200, never as a new one), counts the jobs (exactly one per key), and follows the jobs that were launched before
 * the kill to their end. Then it cancels what still waits and stops the server.
 *
 * <p>Run from the repository root after {@code mvn -B -DskipTests package}:
 * {@code java bench/CrashBench.java [jobs=1000] [killAfter=300] [server arguments...]}.
 */
public final class CrashBench {
    private static final String TOKEN = "demo-token";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern JOB_ID = Pattern.compile("\"job_id\":\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([A-Z]+)\"");
    private static final Pattern NEXT = Pattern.compile("\"next_page_token\":\"([^\"]+)\"");
    private static final Pattern NAME = Pattern.compile("\"name\":\"(crash-[0-9]+)\"");

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int killAfter = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        List<String> serverArgs = args.length > 2 ? List.of(args).subList(2, args.length) : List.of();
        Path jar = Path.of("dcp-server/target/dcp-server.jar");
        String body = readmeBody();
        Path dataDir = Files.createTempDirectory("dcp-crash-bench-");
        int port = freePort();
        int grpcPort = freePort();
        String base = "http://127.0.0.1:" + port;
        List<String> command = new ArrayList<>(List.of(javaBin(), "@dcp-server/jvm.options", "-jar", jar.toString(), "--server.data-dir=" + dataDir,
                "--server.port=" + port, "--server.grpc-port=" + grpcPort, "--gateway.hot-pool.pools=",
                "--test-cluster.enabled=false", "--runner.admission.max-running=2"));
        command.addAll(serverArgs);
        System.out.printf("machine: %d cores; %d jobs, kill -9 after %d answers; data dir %s%n",
                Runtime.getRuntime().availableProcessors(), jobs, killAfter, dataDir);

        Process server = start(command, dataDir, "server-1.log");
        awaitUp(base, server);
        Map<Integer, String> answered = new ConcurrentHashMap<>();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        long burstStart = System.nanoTime();
        long[] killedAt = {0};
        for (int c = 0; c < 16; c++) {
            clients.execute(() -> {
                for (int i = next.getAndIncrement(); i < jobs; i = next.getAndIncrement()) {
                    try {
                        HttpResponse<String> response = submit(base, body, i);
                        if (response.statusCode() == 202 || response.statusCode() == 200) {
                            answered.put(i, find(JOB_ID, response.body()));
                            if (answered.size() == killAfter) {
                                synchronized (killedAt) {
                                    if (killedAt[0] == 0) {
                                        server.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
                                        killedAt[0] = System.nanoTime();
                                    }
                                }
                            }
                        }
                        else {
                            failed.incrementAndGet();
                        }
                    }
                    catch (IOException | InterruptedException e) {
                        failed.incrementAndGet(); // the server is gone
                    }
                }
            });
        }
        clients.shutdown();
        clients.awaitTermination(5, TimeUnit.MINUTES);
        server.waitFor();
        System.out.printf("burst: %d submits answered 202/200, %d not answered; killed %.2f s into the burst%n",
                answered.size(), failed.get(), (killedAt[0] - burstStart) / 1e9);

        Process restarted = start(command, dataDir, "server-2.log");
        try {
            awaitUp(base, restarted);
            int missing = 0;
            Map<String, Integer> launchedBefore = new HashMap<>();
            for (Map.Entry<Integer, String> job : answered.entrySet()) {
                HttpResponse<String> status = get(base + "/api/v1/jobs/" + job.getValue());
                if (status.statusCode() != 200) {
                    missing++;
                    System.out.printf("LOST: job %s (key crash-%d) was answered 202 and now answers %d%n", job.getValue(),
                            job.getKey(), status.statusCode());
                }
                else {
                    String state = find(STATUS, status.body());
                    if (!state.equals("PENDING") && !state.equals("CANCELLED")) {
                        launchedBefore.put(job.getValue(), job.getKey());
                    }
                }
            }
            System.out.printf("after restart: %d of %d answered jobs exist, %d lost%n", answered.size() - missing,
                    answered.size(), missing);

            int sameJob = 0;
            int duplicated = 0;
            int storedUnanswered = 0;
            int newlyAccepted = 0;
            for (int i = 0; i < jobs; i++) {
                HttpResponse<String> response = submit(base, body, i);
                String jobId = find(JOB_ID, response.body());
                if (answered.containsKey(i)) {
                    if (response.statusCode() == 200 && jobId.equals(answered.get(i))) {
                        sameJob++;
                    }
                    else {
                        duplicated++;
                        System.out.printf("DUPLICATE: key crash-%d answered %s before, now %d %s%n", i, answered.get(i),
                                response.statusCode(), jobId);
                    }
                }
                else if (response.statusCode() == 200) {
                    storedUnanswered++;
                }
                else {
                    newlyAccepted++;
                }
            }
            System.out.printf("resubmitting every key: %d answered jobs came back as themselves (200), %d duplicated;"
                    + " of the unanswered keys %d were stored before the kill, %d accepted now%n", sameJob, duplicated,
                    storedUnanswered, newlyAccepted);
            Set<String> names = listNames(base);
            System.out.printf("jobs stored: %d, distinct keys: %d (expected %d)%n", countJobs(base), names.size(), jobs);

            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            Map<String, String> ends = new HashMap<>();
            while (ends.size() < launchedBefore.size() && System.nanoTime() < deadline) {
                for (String jobId : launchedBefore.keySet()) {
                    if (!ends.containsKey(jobId)) {
                        String state = find(STATUS, get(base + "/api/v1/jobs/" + jobId).body());
                        if (Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMEOUT").contains(state)) {
                            ends.put(jobId, state);
                        }
                    }
                }
                Thread.sleep(500);
            }
            System.out.printf("jobs launched before the kill: %d; their ends after the restart: %s%n", launchedBefore.size(),
                    ends.values().stream().collect(java.util.stream.Collectors.groupingBy(s -> s,
                            java.util.stream.Collectors.counting())));
            cancelWaiting(base);
        }
        finally {
            restarted.destroy();
            restarted.waitFor();
        }
    }

    private static void cancelWaiting(String base) throws Exception {
        int cancelled = 0;
        for (String status : List.of("PENDING", "SUBMITTED", "RUNNING")) {
            String token = null;
            do {
                String page = get(base + "/api/v1/jobs?limit=500&status=" + status + (token == null ? "" : "&page_token=" + token)).body();
                Matcher ids = JOB_ID.matcher(page);
                while (ids.find()) {
                    HTTP.send(request(base + "/api/v1/jobs/" + ids.group(1)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
                    cancelled++;
                }
                Matcher more = NEXT.matcher(page);
                token = more.find() ? more.group(1) : null;
            } while (token != null);
        }
        System.out.printf("cleanup: cancelled %d unfinished jobs%n", cancelled);
    }

    private static Set<String> listNames(String base) throws Exception {
        Set<String> names = new HashSet<>();
        String token = null;
        do {
            String page = get(base + "/api/v1/jobs?limit=500&name_prefix=crash-" + (token == null ? "" : "&page_token=" + token)).body();
            Matcher name = NAME.matcher(page);
            while (name.find()) {
                names.add(name.group(1));
            }
            Matcher more = NEXT.matcher(page);
            token = more.find() ? more.group(1) : null;
        } while (token != null);
        return names;
    }

    private static int countJobs(String base) throws Exception {
        int count = 0;
        String token = null;
        do {
            String page = get(base + "/api/v1/jobs?limit=500&name_prefix=crash-" + (token == null ? "" : "&page_token=" + token)).body();
            Matcher ids = JOB_ID.matcher(page);
            while (ids.find()) {
                count++;
            }
            Matcher more = NEXT.matcher(page);
            token = more.find() ? more.group(1) : null;
        } while (token != null);
        return count;
    }

    private static HttpResponse<String> submit(String base, String body, int i) throws IOException, InterruptedException {
        // Each job writes a table of its own: two first writes racing to create one table fail in Iceberg itself.
        String keyed = body.replaceFirst("\"name\":\\s*\"[^\"]*\"", "\"name\": \"crash-" + i + "\", \"idempotency_key\": \"crash-" + i + "\"")
                .replace("\"table\": \"orders\"", "\"table\": \"orders_" + i + "\"");
        return HTTP.send(request(base + "/api/v1/jobs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(keyed)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Process start(List<String> command, Path dataDir, String log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dataDir.resolve(log).toFile()).start();
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

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(request(url).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN);
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
