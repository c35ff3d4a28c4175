package com.doordash.pedregal.gateway.standalone;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP side of a standalone cluster: the master's REST submission server ({@code /v1/submissions/...}), the
 * master's web UI ({@code /json/}) and the workers' log pages ({@code /log/?driverId=...}).
 */
final class StandaloneMaster {
    /** The first line of a worker's log answer: {@code ==== Bytes 0-88 of 88 of /work/driver-1/stdout ====}. */
    private static final Pattern LOG_HEADER = Pattern.compile("==== Bytes ([0-9]+)-([0-9]+) of ([0-9]+) of .* ====\n");

    private final StandaloneConfig config;
    private final HttpClient http;

    StandaloneMaster(StandaloneConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** What the master says of one driver; {@code state} is null when the master does not know the driver. */
    record DriverStatus(String driverId, String state, String workerId, String message) {
        boolean known() {
            return state != null;
        }
    }

    /** A part of a driver's log file on its worker; {@code missing} when the worker has no such log. */
    record LogPart(String text, long start, long fileLength, boolean missing) {
    }

    /** Submits a driver; returns its id, or fails with the master's message. */
    String submit(Map<String, Object> request) {
        JsonNode response = rest(HttpRequest.newBuilder(restUri("create"))
                .header("Content-Type", "application/json;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(request), StandardCharsets.UTF_8)));
        String driverId = response.path("submissionId").asText("");
        if (!response.path("success").asBoolean(false) || driverId.isEmpty()) {
            throw new PlatformException(ErrorCode.UNAVAILABLE, "the standalone master at " + config.restUrl()
                    + " refused the driver: " + response.path("message").asText("no reason given"));
        }
        return driverId;
    }

    /** The master's view of {@code driverId}. */
    DriverStatus status(String driverId) {
        JsonNode response = rest(HttpRequest.newBuilder(restUri("status/" + encode(driverId))).GET());
        return new DriverStatus(driverId, text(response, "driverState"), text(response, "workerId"),
                text(response, "message"));
    }

    /** Asks the master to kill {@code driverId}; false when the master says it is not running (ended or unknown). */
    boolean kill(String driverId) {
        JsonNode response = rest(HttpRequest.newBuilder(restUri("kill/" + encode(driverId)))
                .POST(HttpRequest.BodyPublishers.noBody()));
        return response.path("success").asBoolean(false);
    }

    /** The master's state: workers, applications, drivers ({@code /json/} of the master web UI). */
    JsonNode state() {
        URI uri = URI.create(config.uiUrl() + "/json/");
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri).GET(), "web UI");
        if (response.statusCode() != 200) {
            throw new PlatformException(ErrorCode.UNAVAILABLE, "the standalone master's web UI at " + config.uiUrl()
                    + " answered HTTP " + response.statusCode() + " to GET /json/");
        }
        return parse(response.body(), uri);
    }

    /** The web UI address of worker {@code workerId}, if the master lists it. */
    Optional<String> workerUi(String workerId) {
        for (JsonNode worker : state().path("workers")) {
            if (workerId.equals(worker.path("id").asText())) {
                return Optional.ofNullable(text(worker, "webuiaddress"));
            }
        }
        return Optional.empty();
    }

    /** The last {@code byteLength} bytes of the driver's {@code logType} ({@code stdout}, {@code stderr}) file. */
    LogPart driverLog(String workerUi, String driverId, String logType, long byteLength) {
        URI uri = URI.create(workerUi + "/log/?driverId=" + encode(driverId) + "&logType=" + encode(logType)
                + "&byteLength=" + byteLength);
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri).GET(), "worker");
        if (response.statusCode() != 200) {
            throw new PlatformException(ErrorCode.UNAVAILABLE, "the worker at " + workerUi + " answered HTTP "
                    + response.statusCode() + " to GET " + uri.getRawPath() + "?" + uri.getRawQuery());
        }
        Matcher header = LOG_HEADER.matcher(response.body());
        if (!header.lookingAt()) {
            throw new IllegalStateException("unexpected answer of " + uri + ": "
                    + response.body().substring(0, Math.min(200, response.body().length())));
        }
        String text = response.body().substring(header.end());
        long fileLength = Long.parseLong(header.group(3));
        boolean missing = fileLength == 0 && text.startsWith("Error: invalid log directory");
        return new LogPart(missing ? "" : text, Long.parseLong(header.group(1)), fileLength, missing);
    }

    private URI restUri(String path) {
        return URI.create(config.restUrl() + "/v1/submissions/" + path);
    }

    private JsonNode rest(HttpRequest.Builder request) {
        HttpResponse<String> response = send(request, "REST server");
        // The REST server answers 200 with success=false for drivers it does not know; other codes are errors.
        if (response.statusCode() != 200) {
            String message;
            try {
                message = Json.mapper().readTree(response.body()).path("message").asText(response.body());
            }
            catch (IOException e) {
                message = response.body();
            }
            throw new IllegalStateException("the standalone master's REST server answered HTTP " + response.statusCode()
                    + " to " + response.request().method() + " " + response.uri() + ": "
                    + message.substring(0, Math.min(2000, message.length())));
        }
        return parse(response.body(), response.uri());
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String what) {
        HttpRequest built = request.timeout(config.requestTimeout()).build();
        try {
            return http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            String server = built.uri().getScheme() + "://" + built.uri().getRawAuthority();
            throw new PlatformException(ErrorCode.UNAVAILABLE, "the standalone " + ("worker".equals(what) ? "" : "master's ")
                    + what + " at " + server + " is unreachable: " + e
                    + ("REST server".equals(what) ? " (is the master running, with spark.master.rest.enabled=true?)" : ""), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + built.uri(), e);
        }
    }

    private static JsonNode parse(String body, URI uri) {
        try {
            return Json.mapper().readTree(body);
        }
        catch (IOException e) {
            throw new IllegalStateException("unexpected answer of " + uri + " (not JSON): "
                    + body.substring(0, Math.min(200, body.length())), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
