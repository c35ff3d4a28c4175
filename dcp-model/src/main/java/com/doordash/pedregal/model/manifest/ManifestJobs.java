package com.doordash.pedregal.model.manifest;

import com.doordash.pedregal.model.JobRequestValidator;
import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.error.Violation;
import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the {@code spec} of a job-running manifest into the REST submit request it stands for, and the problems the
 * request's validation finds back into manifest fields and lines. Manifest fields are camelCase
 * ({@code spec.coreEtl.jobSpec}, {@code spec.resources.driver.memoryOverhead}); the CoreETL job spec inside
 * {@code jobSpec} and the {@code sparkConfig}/{@code envVars} maps are taken as written.
 */
final class ManifestJobs {
    private static final Pattern REST_PATH = Pattern.compile("\\bconfig\\.[a-z_]+(\\.[a-z_]+)*");
    private static final Pattern SNAKE = Pattern.compile("_([a-z0-9])");
    private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");

    private ManifestJobs() {
    }

    /**
     * The submit request of {@code manifest}'s {@code spec}, whose fields must be among {@code fields}; the
     * {@code adjust} step may change the request's tree (REST layout) before it is bound and validated.
     */
    static SubmitJobRequest request(Manifest manifest, String user, Set<String> fields, Set<String> sparkVersions,
            Consumer<ObjectNode> adjust, List<ManifestException.Problem> problems) {
        ObjectNode spec = manifest.spec();
        ManifestReader.unknownFields(manifest, spec, "spec.", fields, problems);
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode request = nodes.objectNode();
        request.put("name", manifest.name());
        request.put("team", manifest.team());
        request.put("user", user);
        ObjectNode config = request.putObject("config");
        JsonNode engine = spec.get("engine");
        if (engine == null || engine.isNull()) {
            problems.add(manifest.problem("spec.engine.version", "is required (the Spark version, for example \"3.5\")"));
        }
        else if (!engine.isObject()) {
            problems.add(manifest.problem("spec.engine", "expected a mapping with version, found " + ManifestReader.describe(engine)));
        }
        else {
            ManifestReader.unknownFields(manifest, engine, "spec.engine.", Set.of("version"), problems);
            String version = ManifestReader.requiredText(manifest, engine, "spec.engine.version", problems);
            if (version != null) {
                config.put("spark_version", version);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> entries = spec.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String field = entry.getKey();
            if (!fields.contains(field) || field.equals("engine") || field.equals("table")) {
                continue;
            }
            switch (field) {
                case "timeoutSeconds" -> request.set("timeout_seconds", entry.getValue().deepCopy());
                case "sparkConfig", "envVars" -> config.set(snake(field), entry.getValue().deepCopy());
                default -> config.set(snake(field), snakeKeys(entry.getValue()));
            }
        }
        if (!problems.isEmpty()) {
            return null;
        }
        adjust.accept(request);
        SubmitJobRequest bound;
        try {
            bound = Json.convert(request, SubmitJobRequest.class);
        }
        catch (InvalidRequestException e) {
            e.violations().forEach(violation -> problems.add(located(manifest, violation)));
            return null;
        }
        new JobRequestValidator(sparkVersions).validate(bound).forEach(violation -> problems.add(located(manifest, violation)));
        return problems.isEmpty() ? bound : null;
    }

    /** The REST request's keys in snake_case, except inside {@code jobSpec}, which is a CoreETL spec as written. */
    private static JsonNode snakeKeys(JsonNode node) {
        if (!node.isObject()) {
            return node.deepCopy();
        }
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        node.fields().forEachRemaining(entry -> copy.set(snake(entry.getKey()),
                entry.getKey().equals("jobSpec") ? entry.getValue().deepCopy() : snakeKeys(entry.getValue())));
        return copy;
    }

    /** The problem of a REST request's {@code violation}, at the manifest field it came from. */
    static ManifestException.Problem located(Manifest manifest, Violation violation) {
        String field = manifestPath(violation.field());
        String reason = violation.message();
        if (!field.contains("jobSpec")) {
            reason = camelList(reason);
        }
        Matcher paths = REST_PATH.matcher(reason);
        StringBuilder translated = new StringBuilder();
        while (paths.find()) {
            paths.appendReplacement(translated, Matcher.quoteReplacement(manifestPath(paths.group())));
        }
        paths.appendTail(translated);
        return manifest.problem(field, translated.toString());
    }

    /** The manifest path of a REST request's field path. */
    static String manifestPath(String restPath) {
        if (restPath.isEmpty()) {
            return "spec";
        }
        if (restPath.equals("name") || restPath.equals("team")) {
            return "metadata." + restPath;
        }
        if (restPath.equals("user")) {
            return "metadata";
        }
        if (restPath.equals("timeout_seconds")) {
            return "spec.timeoutSeconds";
        }
        if (restPath.equals("config.spark_version")) {
            return "spec.engine.version";
        }
        for (String verbatim : List.of("config.core_etl.job_spec", "config.spark_config", "config.env_vars")) {
            if (restPath.startsWith(verbatim)) {
                return "spec." + camel(verbatim.substring("config.".length())) + restPath.substring(verbatim.length());
            }
        }
        if (restPath.startsWith("config")) {
            return "spec" + camel(restPath.substring("config".length()));
        }
        return restPath;
    }

    /** {@code core_etl.job_spec} → {@code coreEtl.jobSpec}. */
    static String camel(String snake) {
        Matcher matcher = SNAKE.matcher(snake);
        StringBuilder camel = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(camel, matcher.group(1).toUpperCase());
        }
        matcher.appendTail(camel);
        return camel.toString();
    }

    /** {@code memoryOverhead} → {@code memory_overhead}. */
    static String snake(String camel) {
        return CAMEL.matcher(camel).replaceAll("$1_$2").toLowerCase();
    }

    /** The field names of an "expected one of: a_b, c" list in camelCase. */
    private static String camelList(String reason) {
        int list = reason.indexOf("expected one of: ");
        if (list < 0) {
            return reason;
        }
        return reason.substring(0, list) + camel(reason.substring(list));
    }
}
