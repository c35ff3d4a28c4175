package com.doordash.pedregal.server.playground;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.RunState;
import com.doordash.pedregal.gateway.RunStatus;
import com.doordash.pedregal.gateway.SparkGateway;
import com.doordash.pedregal.model.ByteSize;
import com.doordash.pedregal.model.driver.DriverClasses;
import com.doordash.pedregal.model.driver.DriverOutput;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.model.spec.CoreEtlSpec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and drops playground tables on real Spark: runs coreetl's {@code PlaygroundTool} through the gateway (the
 * server has no Spark of its own) and reads its {@code PLAYGROUND-TOOL RESULT <json>} line from the driver log.
 */
final class PlaygroundTables {
    private static final String RESULT = DriverOutput.PLAYGROUND_TOOL_RESULT;
    private static final String FAILED = DriverOutput.PLAYGROUND_TOOL_FAILED;
    private static final Logger log = LoggerFactory.getLogger(PlaygroundTables.class);

    private final SparkGateway gateway;
    private final String sparkVersion;
    private final Duration timeout;

    PlaygroundTables(SparkGateway gateway, Duration timeout) {
        this.gateway = requireNonNull(gateway, "gateway is null");
        this.sparkVersion = gateway.sparkVersions().iterator().next();
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    /**
     * Creates the tables {@code spec}'s sinks (all in {@code namespace}) need, from the analyzed schema of what the spec
     * writes, re-creating a table whose schema changed; returns the tool's {@code tables} list.
     */
    JsonNode createTables(CoreEtlSpec spec, String team, String sparkVersion) {
        String base64 = Base64.getEncoder().encodeToString(Json.write(spec).getBytes(StandardCharsets.UTF_8));
        try {
            return run("create-tables", List.of("--spec-base64", base64), team, sparkVersion).path("tables");
        }
        catch (ToolFailed e) {
            throw new PlatformException(ErrorCode.INVALID_REQUEST, "cannot create the playground table(s): " + e.getMessage(),
                    "spec.coreEtl.jobSpec");
        }
    }

    /** Drops {@code tables} ({@code catalog.database.table}); returns the names of the tables that existed. */
    List<String> dropTables(List<String> tables, String team) {
        if (tables.isEmpty()) {
            return List.of();
        }
        try {
            return names(run("drop-tables", List.of("--tables", String.join(",", tables)), team, sparkVersion)
                    .path("dropped_tables"));
        }
        catch (ToolFailed e) {
            throw new PlatformException(ErrorCode.INTERNAL, "could not drop " + tables + ": " + e.getMessage());
        }
    }

    /** Drops every table of {@code catalog.namespace} and the namespace; returns the tables it dropped. */
    List<String> dropNamespace(String qualifiedNamespace, String team) {
        try {
            return names(run("drop-namespace", List.of("--namespace", qualifiedNamespace), team, sparkVersion)
                    .path("dropped_tables"));
        }
        catch (ToolFailed e) {
            throw new PlatformException(ErrorCode.INTERNAL, "could not drop " + qualifiedNamespace + ": " + e.getMessage());
        }
    }

    private JsonNode run(String command, List<String> arguments, String team, String version) {
        List<String> args = new ArrayList<>();
        args.add(command);
        args.addAll(arguments);
        String executionId = "playground-" + command + "-" + UUID.randomUUID().toString().substring(0, 8);
        LaunchRequest request = new LaunchRequest(executionId, "dcp-playground-" + command, team,
                LaunchRequest.DEFAULT_NAMESPACE, "BATCH", version, Application.platformTool(DriverClasses.PLAYGROUND_TOOL_MAIN, args), Map.of(),
                Map.of(), 1, ByteSize.bytes("1g"));
        long started = System.nanoTime();
        BackendRun run = gateway.launch(request);
        RunStatus status = gateway.awaitEnd(run, timeout);
        String logs = gateway.logs(run, OptionalInt.of(400));
        log.info("Playground tool {} ended {} in {} ms", command, status.state(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        for (String line : logs.lines().toList()) {
            if (line.startsWith(RESULT) && status.state() == RunState.SUCCEEDED) {
                try {
                    return Json.mapper().readTree(line.substring(RESULT.length()));
                }
                catch (JsonProcessingException e) {
                    break;
                }
            }
        }
        String reason = logs.lines().filter(line -> line.startsWith(FAILED)).map(line -> line.substring(FAILED.length()))
                .findFirst().orElse(status.message() != null ? status.message() : "the tool ended " + status.state());
        throw new ToolFailed(reason);
    }

    /** The tool failed; the message is its reason. */
    private static final class ToolFailed extends RuntimeException {
        ToolFailed(String reason) {
            super(reason);
        }
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(name -> names.add(name.asText()));
        return names;
    }
}
