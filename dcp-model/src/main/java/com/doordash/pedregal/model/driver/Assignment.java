package com.doordash.pedregal.model.driver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A warm driver's one job, written by the gateway as {@link DriverFiles#ASSIGNMENT} into the driver's working directory:
 * {@code {"execution_id":…,"main_class":…,"args":[…],"sql_conf":{…},"events_file":…,"log_file":…,"reusable":true,
 * "assigned_at":<epoch ms>}}. After the job the driver reports {@link DriverEvent#ENDED}; then, when the assignment is
 * {@code reusable}, it waits for the next one in the same place (the next job of the same team and namespace), else
 * it exits.
 *
 * @param executionId the platform's id of the execution
 * @param mainClass the class whose {@code main} the driver runs in its JVM
 * @param args its arguments
 * @param sqlConf the settings the driver sets on its session first (run-time SQL and platform settings)
 * @param eventsFile where the driver reports the job's {@link DriverEvent}s
 * @param logFile where the driver writes the job's output; null to keep writing where it writes
 * @param reusable whether the driver waits for another job afterwards (else it exits)
 * @param assignedAt when the gateway wrote it, epoch milliseconds
 */
public record Assignment(String executionId, String mainClass, List<String> args, Map<String, String> sqlConf,
        String eventsFile, String logFile, boolean reusable, long assignedAt) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public Assignment {
        requireNonNull(executionId, "executionId is null");
        requireNonNull(mainClass, "mainClass is null");
        args = List.copyOf(args);
        sqlConf = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sqlConf));
        requireNonNull(eventsFile, "eventsFile is null");
    }

    /** As the JSON the driver reads. */
    public String toJson() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("execution_id", executionId);
        node.put("main_class", mainClass);
        args.forEach(node.putArray("args")::add);
        ObjectNode conf = node.putObject("sql_conf");
        sqlConf.forEach(conf::put);
        node.put("events_file", eventsFile);
        if (logFile != null) {
            node.put("log_file", logFile);
        }
        node.put("reusable", reusable);
        node.put("assigned_at", assignedAt);
        return node.toString();
    }

    /** Reads the JSON the gateway wrote; fails on anything else. */
    public static Assignment fromJson(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        }
        catch (Exception e) {
            throw new IllegalArgumentException("not an assignment: " + e.getMessage(), e);
        }
        List<String> args = new ArrayList<>();
        node.path("args").forEach(arg -> args.add(arg.asText()));
        Map<String, String> sqlConf = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.path("sql_conf").fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            sqlConf.put(field.getKey(), field.getValue().asText());
        }
        if (!node.hasNonNull("execution_id") || !node.hasNonNull("main_class") || !node.hasNonNull("events_file")) {
            throw new IllegalArgumentException("not an assignment: execution_id, main_class and events_file are required");
        }
        return new Assignment(node.path("execution_id").asText(), node.path("main_class").asText(), args, sqlConf,
                node.path("events_file").asText(), node.hasNonNull("log_file") ? node.path("log_file").asText() : null,
                node.path("reusable").asBoolean(false), node.path("assigned_at").asLong(System.currentTimeMillis()));
    }
}
