package com.doordash.pedregal.client;

import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The REST API's JSON (snake_case, absent values left out): requests are written exactly as the API
 * documents them; answers are read leniently, ignoring fields and states this client does not know, so
 * that a newer server does not break an older client.
 */
final class WireFormat {
    private WireFormat() {
    }

    /** The body of {@code POST /api/v1/jobs}. */
    static ObjectNode submitRequest(SubmitJobRequest request) {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("name", request.getName());
        json.put("team", request.getTeam());
        json.put("user", request.getUser());
        json.set("config", config(request.getConfig()));
        request.getIdempotencyKey().ifPresent(key -> json.put("idempotency_key", key));
        request.getCallbackUrl().ifPresent(url -> json.put("callback_url", url));
        request.getTimeoutSeconds().ifPresent(seconds -> json.put("timeout_seconds", seconds));
        return json;
    }

    private static ObjectNode config(SparkJobConfig config) {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("spark_version", config.getSparkVersion());
        config.getJobType().ifPresent(type -> json.put("job_type", type));
        config.getCoreEtl().ifPresent(coreEtl -> {
            ObjectNode node = json.putObject("core_etl");
            coreEtl.getVersion().ifPresent(version -> node.put("version", version));
            node.set("job_spec", coreEtl.jobSpecTree());
        });
        config.getCustomJar().ifPresent(jar -> {
            ObjectNode node = json.putObject("custom_jar");
            node.put("jar_path", jar.getJarPath());
            node.put("main_class", jar.getMainClass());
            if (!jar.getArgs().isEmpty()) {
                ArrayNode args = node.putArray("args");
                jar.getArgs().forEach(args::add);
            }
        });
        config.getResources().ifPresent(resources -> json.set("resources", resources(resources)));
        putMap(json, "spark_config", config.getSparkConfig());
        putMap(json, "env_vars", config.getEnvVars());
        return json;
    }

    private static ObjectNode resources(ResourceConfig resources) {
        ObjectNode json = Json.mapper().createObjectNode();
        resources.getDriver().ifPresent(driver -> {
            ObjectNode node = json.putObject("driver");
            driver.getCores().ifPresent(cores -> node.put("cores", cores));
            driver.getMemory().ifPresent(memory -> node.put("memory", memory));
            driver.getMemoryOverhead().ifPresent(overhead -> node.put("memory_overhead", overhead));
        });
        resources.getExecutor().ifPresent(executor -> {
            ObjectNode node = json.putObject("executor");
            executor.getInstances().ifPresent(instances -> node.put("instances", instances));
            executor.getCores().ifPresent(cores -> node.put("cores", cores));
            executor.getMemory().ifPresent(memory -> node.put("memory", memory));
            executor.getMemoryOverhead().ifPresent(overhead -> node.put("memory_overhead", overhead));
        });
        if (resources.isDynamicAllocation()) {
            json.put("dynamic_allocation", true);
        }
        resources.getMinExecutors().ifPresent(min -> json.put("min_executors", min));
        resources.getMaxExecutors().ifPresent(max -> json.put("max_executors", max));
        return json;
    }

    private static void putMap(ObjectNode json, String name, Map<String, String> map) {
        if (!map.isEmpty()) {
            ObjectNode node = json.putObject(name);
            map.forEach(node::put);
        }
    }

    /** The answer to a submit. */
    static SubmitJobResponse submitResponse(HttpTransport.Answer answer) {
        JsonNode json = read(answer);
        return new SubmitJobResponse(required(json, "job_id", answer), text(json, "execution_id", ""),
                JobState.fromWire(text(json, "status", null)), json);
    }

    /** The answer to {@code GET /api/v1/jobs/{id}}. */
    static JobStatus jobStatus(HttpTransport.Answer answer) {
        return jobStatus(read(answer), answer);
    }

    /** One page of {@code GET /api/v1/jobs}. */
    record Page(List<JobStatus> jobs, String nextPageToken) {
    }

    /** The answer to {@code GET /api/v1/jobs}. */
    static Page page(HttpTransport.Answer answer) {
        JsonNode json = read(answer);
        List<JobStatus> jobs = new ArrayList<>();
        for (JsonNode job : json.path("jobs")) {
            jobs.add(jobStatus(job, answer));
        }
        return new Page(jobs, text(json, "next_page_token", null));
    }

    /** The answer to {@code DELETE /api/v1/jobs/{id}}. */
    static CancelJobResponse cancelResponse(HttpTransport.Answer answer, String jobId) {
        JsonNode json = read(answer);
        return new CancelJobResponse(json.path("success").asBoolean(true), text(json, "message", ""),
                text(json, "job_id", jobId), JobState.fromWire(text(json, "status", null)), json);
    }

    /** The answer to {@code GET /api/v1/jobs/{id}/logs}: plain text, or JSON {@code {"logs": …}} from a server that ignores {@code Accept}. */
    static String logs(HttpTransport.Answer answer) {
        if (!answer.contentType().toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return answer.body();
        }
        JsonNode logs = read(answer).path("logs");
        return logs.isTextual() ? logs.textValue() : "";
    }

    private static JobStatus jobStatus(JsonNode json, HttpTransport.Answer answer) {
        JsonNode metrics = json.path("metrics");
        return new JobStatus(
                required(json, "job_id", answer),
                text(json, "execution_id", ""),
                text(json, "name", ""),
                text(json, "team", ""),
                text(json, "user", ""),
                JobState.fromWire(text(json, "status", null)),
                text(json, "spark_version", ""),
                text(json, "backend", ""),
                time(json, "submit_time"),
                time(json, "start_time"),
                time(json, "end_time"),
                text(json, "spark_ui_url", null),
                text(json, "logs_url", null),
                text(json, "error_message", null),
                metrics.isObject()
                        ? new JobMetrics(
                                metrics.path("records_read").asLong(0),
                                metrics.path("records_written").asLong(0),
                                metrics.path("bytes_read").asLong(0),
                                metrics.path("bytes_written").asLong(0),
                                metrics.path("stages_completed").asLong(0),
                                metrics.path("tasks_completed").asLong(0),
                                metrics.path("executor_cpu_time_ms").asLong(0))
                        : null,
                json);
    }

    /** The body of {@code POST /api/v1/playgrounds}. */
    static ObjectNode playgroundRequest(PlaygroundRequest request) {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("name", request.getName());
        request.getTeam().ifPresent(team -> json.put("team", team));
        request.getTtl().ifPresent(ttl -> json.put("ttl", PlaygroundRequest.wireTtl(ttl)));
        return json;
    }

    /** The body of {@code POST /api/v1/manifests/{command}}. */
    static ObjectNode manifestRequest(ManifestRequest request) {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("manifest", request.getManifest());
        request.getFile().ifPresent(file -> json.put("file", file));
        request.getPlayground().ifPresent(playground -> json.put("playground", playground));
        request.getKind().ifPresent(kind -> json.put("kind", kind));
        request.getOptions().ifPresent(options -> json.set("options", options));
        return json;
    }

    /** An answer that is one playground. */
    static Playground playground(HttpTransport.Answer answer) {
        return playground(read(answer), answer);
    }

    /** The answer to {@code GET /api/v1/playgrounds}. */
    static List<Playground> playgrounds(HttpTransport.Answer answer) {
        List<Playground> playgrounds = new ArrayList<>();
        for (JsonNode playground : read(answer).path("playgrounds")) {
            playgrounds.add(playground(playground, answer));
        }
        return List.copyOf(playgrounds);
    }

    /** The answer to {@code DELETE /api/v1/playgrounds/{ref}}. */
    static DeletedPlayground deletedPlayground(HttpTransport.Answer answer) {
        JsonNode json = read(answer);
        JsonNode playground = json.path("playground");
        if (!playground.isObject()) {
            throw malformed(answer, "it has no \"playground\"", null);
        }
        return new DeletedPlayground(playground(playground, answer), texts(json.path("dropped_tables")),
                texts(json.path("cancelled_jobs")), json);
    }

    /** The answer to a manifest command. */
    static ManifestResult manifestResult(ManifestCommand command, HttpTransport.Answer answer) {
        JsonNode json = read(answer);
        return new ManifestResult(command, text(json, "kind", ""), text(json, "name", ""), text(json, "playground", null),
                json);
    }

    /** The answer to {@code POST /api/v1/tests}: the report. */
    static TestReport testReport(HttpTransport.Answer answer) {
        JsonNode json = read(answer);
        return new TestReport(required(json, "status", answer), json);
    }

    private static Playground playground(JsonNode json, HttpTransport.Answer answer) {
        List<PlaygroundResource> resources = new ArrayList<>();
        for (JsonNode resource : json.path("resources")) {
            resources.add(new PlaygroundResource(text(resource, "kind", ""), text(resource, "name", ""),
                    texts(resource.path("tables")), time(resource, "applied_at")));
        }
        return new Playground(required(json, "id", answer), text(json, "name", ""), text(json, "team", ""),
                text(json, "user", ""), text(json, "catalog", ""), text(json, "namespace", ""),
                time(json, "created_at"), time(json, "expires_at"), resources, json);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        for (JsonNode item : array) {
            if (item.isTextual()) {
                texts.add(item.textValue());
            }
        }
        return texts;
    }

    private static JsonNode read(HttpTransport.Answer answer) {
        try {
            JsonNode json = Json.mapper().readTree(answer.body());
            if (json != null && json.isObject()) {
                return json;
            }
        }
        catch (IOException e) {
            throw malformed(answer, "its body is not JSON", e);
        }
        throw malformed(answer, "its body is not a JSON object", null);
    }

    private static String required(JsonNode json, String name, HttpTransport.Answer answer) {
        String value = text(json, name, null);
        if (value == null) {
            throw malformed(answer, "it has no \"" + name + "\"", null);
        }
        return value;
    }

    private static String text(JsonNode json, String name, String absent) {
        JsonNode node = json.path(name);
        return node.isValueNode() && !node.isNull() && !node.asText().isEmpty() ? node.asText() : absent;
    }

    // RFC 3339; a time this client cannot read is left out rather than failing the whole answer.
    private static Instant time(JsonNode json, String name) {
        String text = text(json, name, null);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        }
        catch (DateTimeParseException e) {
            return null;
        }
    }

    private static DCPClientException malformed(HttpTransport.Answer answer, String problem, Throwable cause) {
        return new DCPClientException("the server's answer to " + answer.request() + " cannot be read: " + problem
                + " (HTTP " + answer.status() + ")", answer.status(), DCPClientException.MALFORMED_RESPONSE, null, List.of(), cause);
    }
}
