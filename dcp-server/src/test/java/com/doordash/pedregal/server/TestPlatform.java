package com.doordash.pedregal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.RunState;
import com.doordash.pedregal.gateway.RunStatus;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.driver.DriverClasses;
import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real server on free ports over a data directory, and helpers to talk to it (REST tests and gRPC tests). */
public final class TestPlatform {
    static final Set<String> FINAL_STATES = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMEOUT");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestPlatform() {
    }

    /** Starts a server on a free port over {@code dataDir}. */
    public static DcpServer start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    /**
     * Starts a server on a free port over {@code dataDir}, with extra configuration. Besides the embedded defaults, team
     * {@code data-infra} may run code of its own (the query tool as a custom jar from the runtimes, {@code java_method} in
     * {@link #sleepingJob}); tests of the policy's defaults override {@code policy.custom-code.*}.
     */
    public static DcpServer start(Path dataDir, Map<String, String> extra) {
        reachable(dataDir);
        Map<String, String> properties = new HashMap<>();
        properties.put("policy.custom-code.teams", "data-infra");
        properties.put("policy.custom-code.jar-locations", GatewayConfig.from(new ConfigProperties(Map.of()), dataDir)
                .runtimesDir().toString());
        properties.put("server.port", "0");
        properties.put("server.grpc-port", "0");
        properties.put("server.data-dir", dataDir.toString());
        properties.put("gateway.cancel-grace", "2s");
        properties.put("runner.poll-interval", "100ms");
        properties.put("gateway.hot-pool.pools", ""); // warm drivers only where a test asks for them
        properties.put("test-cluster.enabled", "false"); // the Spark Connect test cluster too
        properties.put("test-cluster.proxy-port", "0");
        properties.putAll(extra);
        return DcpServer.start(new ConfigProperties(properties));
    }

    /**
     * Makes {@code dataDir} and its folders up to the system's temporary folder searchable by other users, as a data dir
     * must be for drivers that run as run users (the sandbox, when tests run as root); JUnit creates them {@code 0700}.
     */
    public static void reachable(Path dataDir) {
        Path temp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        for (Path dir = dataDir.toAbsolutePath().normalize(); dir != null && dir.startsWith(temp) && !dir.equals(temp);
                dir = dir.getParent()) {
            try {
                if (Files.isDirectory(dir)) {
                    java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions = new java.util.HashSet<>(
                            Files.getPosixFilePermissions(dir));
                    permissions.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
                    Files.setPosixFilePermissions(dir, permissions);
                }
            }
            catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** The JSON body of the README's curl submit example, so the README stays true. */
    static String readmeSubmitBody() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher matcher = Pattern.compile("curl -X POST http://localhost:8080/api/v1/jobs .*?<<'EOF'\\n(.*?)\\nEOF\\n",
                Pattern.DOTALL).matcher(readme);
        assertThat(matcher.find()).as("README has a curl submit example").isTrue();
        return matcher.group(1);
    }

    public record Response(int status, String body, String contentType, String retryAfter) {
        public JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            }
            catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /** The development token of user@doordash.com in team data-infra, created on first start. */
    static final String DEMO_TOKEN = "demo-token";

    public static Response get(DcpServer server, String path) {
        return send(request(server, path, DEMO_TOKEN).GET());
    }

    static Response get(DcpServer server, String path, String accept) {
        return send(request(server, path, DEMO_TOKEN).header("Accept", accept).GET());
    }

    public static Response post(DcpServer server, String path, String body) {
        return post(server, path, body, DEMO_TOKEN);
    }

    static Response post(DcpServer server, String path, String body, String token) {
        return send(request(server, path, token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public static Response delete(DcpServer server, String path) {
        return send(request(server, path, DEMO_TOKEN).DELETE());
    }

    /** A request with {@code Authorization: Bearer token}, or without the header when {@code token} is null. */
    static HttpRequest.Builder request(DcpServer server, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(server, path));
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    /** Sends a prepared request. */
    static Response send(HttpRequest.Builder request) {
        return sendRequest(request);
    }

    /** Submits {@code body} and returns the new job's id; fails unless the answer is 202. */
    static String submit(DcpServer server, String body) {
        Response response = post(server, "/api/v1/jobs", body);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.json().get("job_id").asText();
    }

    /** Polls the job until it is in one of {@code states}; returns its status. */
    static JsonNode awaitStatus(DcpServer server, String jobId, Set<String> states, Duration timeout) {
        return awaitStatus(server, jobId, states, timeout, DEMO_TOKEN);
    }

    /** Polls the job with {@code token} until it is in one of {@code states}; returns its status. */
    static JsonNode awaitStatus(DcpServer server, String jobId, Set<String> states, Duration timeout, String token) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode status;
        do {
            status = send(request(server, "/api/v1/jobs/" + jobId, token).GET()).json();
            if (states.contains(status.path("status").asText())) {
                return status;
            }
            sleep(100);
        } while (System.nanoTime() < deadline);
        return fail("job %s did not reach %s within %s; last status %s; log tail:%n%s", jobId, states, timeout, status,
                get(server, "/api/v1/jobs/" + jobId + "/logs?tail=40", "text/plain").body());
    }

    /** A seed-like job reading pedregal.raw.events through {@code query} into {@code pedregal.derived.<sink>}. */
    static String job(String name, String team, String query, String sink) {
        return """
                {"name": "%s", "team": "%s", "user": "user@doordash.com",
                 "config": {"spark_version": "3.5", "job_type": "BATCH",
                  "core_etl": {"version": "2.7.0", "job_spec": {
                   "sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
                   "transformations": [{"type": "sql", "query": "%s"}],
                   "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "%s"}]}},
                  "resources": {"driver": {"cores": 1, "memory": "1g"}, "executor": {"instances": 1, "cores": 1, "memory": "1g"}}}}
                """.formatted(name, team, query, sink);
    }

    /** A job that runs for about {@code seconds} seconds (its SQL sleeps on the driver's executor). */
    static String sleepingJob(String name, int seconds) {
        return job(name, "data-infra",
                // One row, so one task and one sleep (a query over the source would sleep once per split).
                "SELECT java_method('java.lang.Thread', 'sleep', " + seconds * 1000L + "L) AS slept",
                "slept_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8));
    }

    /**
     * A job running the platform's query tool as a custom jar: a real Spark job that needs no table, so it also runs
     * on a server without demo data.
     */
    static String queryToolJob(DcpServer server, String name, String team, String sql, String resources) {
        Path jar = server.gatewayConfig().runtimesDir().resolve("3.5/app/coreetl.jar");
        return """
                {"name": "%s", "team": "%s", "user": "user@doordash.com",
                 "config": {"spark_version": "3.5",
                  "custom_jar": {"jar_path": "%s", "main_class": "com.doordash.pedregal.coreetl.QueryMain", "args": ["%s"]},
                  "resources": %s}}
                """.formatted(name, team, jar, sql, resources);
    }

    /** Runs SQL queries on real Spark (a platform tool through the gateway) and returns each query's rows. */
    static List<List<JsonNode>> query(DcpServer server, String... queries) {
        BackendRun run = server.gateway().launch(new LaunchRequest("query-" + UUID.randomUUID(), "test-query", "test",
                LaunchRequest.DEFAULT_NAMESPACE, "BATCH", "3.5", Application.platformTool(DriverClasses.QUERY_MAIN, List.of(queries)), Map.of(), Map.of(), 1, 1L << 30));
        RunStatus status = server.gateway().awaitEnd(run, Duration.ofMinutes(3));
        String log = server.gateway().logs(run, OptionalInt.empty());
        assertThat(status.state()).as(log).isEqualTo(RunState.SUCCEEDED);
        List<List<JsonNode>> results = new ArrayList<>();
        for (int i = 0; i < queries.length; i++) {
            results.add(new ArrayList<>());
        }
        Pattern row = Pattern.compile("^ROW (\\d+) (.*)$", Pattern.MULTILINE);
        Matcher matcher = row.matcher(log);
        while (matcher.find()) {
            try {
                results.get(Integer.parseInt(matcher.group(1))).add(Json.mapper().readTree(matcher.group(2)));
            }
            catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return results;
    }

    /** The driver process of an execution (the wrapper shell) and everything it started. */
    static List<ProcessHandle> driverProcesses(DcpServer server, String executionId) throws IOException {
        Path pidFile = server.gatewayConfig().runsDir().resolve(executionId).resolve("pid");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        List<ProcessHandle> processes = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(wrapper -> {
            processes.add(wrapper);
            wrapper.descendants().forEach(processes::add);
        });
        return processes;
    }

    /** Processes whose command line mentions {@code text}. */
    static List<ProcessHandle> processesMentioning(String text) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().map(line -> line.contains(text)).orElse(false))
                .toList();
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static URI uri(DcpServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static Response sendRequest(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Retry-After").orElse(null));
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
