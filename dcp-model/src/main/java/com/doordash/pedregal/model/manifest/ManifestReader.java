package com.doordash.pedregal.model.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a manifest file, YAML or JSON, and checks what every kind shares: {@code apiVersion} is
 * {@value #API_VERSION}, {@code kind} is known, {@code metadata} has a valid {@code name} and a {@code team}, and
 * {@code spec} is an object. Every problem names the file, line, column and field:
 * {@code B.yaml:3:7: kind: "Dataset" is not a known kind (expected one of: DerivedDataset, SparkJob)}.
 */
public final class ManifestReader {
    /** The one manifest API version. */
    public static final String API_VERSION = "dcp.pedregal.doordash.com/v1";
    /** A Spark job: the seed README's manifest. */
    public static final String SPARK_JOB = "SparkJob";
    /** A named dataset built by a CoreETL spec into its table. */
    public static final String DERIVED_DATASET = "DerivedDataset";
    /** The kinds there is a plugin for. */
    public static final Set<String> KINDS = Set.of(SPARK_JOB, DERIVED_DATASET);

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Set<String> TOP_LEVEL = Set.of("apiVersion", "kind", "metadata", "spec");
    private static final Set<String> METADATA = Set.of("name", "team", "labels");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = JsonFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final YAMLFactory YAML = YAMLFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private ManifestReader() {
    }

    /** Reads the manifest in {@code text}; {@code file} names it in messages. */
    public static Manifest read(String text, String file) {
        String name = file == null || file.isBlank() ? "manifest" : file;
        if (text == null || text.isBlank()) {
            throw new ManifestException(List.of(new ManifestException.Problem(name, 1, 1, "",
                    "the file is empty; expected a manifest with apiVersion, kind, metadata and spec")));
        }
        Map<String, Locations.Position> positions = new HashMap<>();
        JsonNode tree = parse(text, name, positions);
        Locations locations = new Locations(positions);
        List<ManifestException.Problem> problems = new ArrayList<>();
        if (!(tree instanceof ObjectNode root)) {
            throw new ManifestException(List.of(new ManifestException.Problem(name, 1, 1, "",
                    "expected a manifest (a mapping with apiVersion, kind, metadata and spec), found "
                            + describe(tree))));
        }
        Manifest unchecked = new Manifest(name, "", "", "", root, locations);
        unknownFields(unchecked, root, "", TOP_LEVEL, problems);

        String apiVersion = requiredText(unchecked, root, "apiVersion", problems);
        if (apiVersion != null && !API_VERSION.equals(apiVersion)) {
            problems.add(unchecked.problem("apiVersion", quote(apiVersion) + " is not supported (expected " + API_VERSION + ")"));
        }
        String kind = requiredText(unchecked, root, "kind", problems);
        if (kind != null && !KINDS.contains(kind)) {
            problems.add(unchecked.problem("kind", quote(kind) + " is not a known kind (expected one of: "
                    + String.join(", ", new TreeSet<>(KINDS)) + ")"));
        }
        String manifestName = null;
        String team = null;
        JsonNode metadata = root.get("metadata");
        if (metadata == null || metadata.isNull()) {
            problems.add(unchecked.problem("metadata", "is required (with name and team)"));
        }
        else if (!metadata.isObject()) {
            problems.add(unchecked.problem("metadata", "expected a mapping with name and team, found " + describe(metadata)));
        }
        else {
            unknownFields(unchecked, metadata, "metadata.", METADATA, problems);
            manifestName = requiredText(unchecked, metadata, "metadata.name", problems);
            if (manifestName != null && !NAME.matcher(manifestName).matches()) {
                problems.add(unchecked.problem("metadata.name", quote(manifestName)
                        + " is not a valid name (lower-case letters, digits and '-', at most 63 characters, starting and ending with a letter or digit)"));
            }
            team = requiredText(unchecked, metadata, "metadata.team", problems);
            JsonNode labels = metadata.get("labels");
            if (labels != null && !labels.isNull()) {
                if (!labels.isObject()) {
                    problems.add(unchecked.problem("metadata.labels", "expected a mapping of strings, found " + describe(labels)));
                }
                else {
                    labels.fields().forEachRemaining(label -> {
                        if (!label.getValue().isValueNode() || label.getValue().isNull()) {
                            problems.add(unchecked.problem("metadata.labels[\"" + label.getKey() + "\"]", "expected a string"));
                        }
                    });
                }
            }
        }
        JsonNode spec = root.get("spec");
        if (spec == null || spec.isNull()) {
            problems.add(unchecked.problem("spec", "is required"));
        }
        else if (!spec.isObject()) {
            problems.add(unchecked.problem("spec", "expected a mapping, found " + describe(spec)));
        }
        Manifest.check(problems);
        return new Manifest(name, kind, manifestName, team, root, locations);
    }

    /** Adds a problem for each field of {@code node} not in {@code known}. */
    static void unknownFields(Manifest manifest, JsonNode node, String prefix, Set<String> known,
            List<ManifestException.Problem> problems) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!known.contains(field)) {
                problems.add(manifest.problem(prefix + field, "unknown field (expected one of: "
                        + String.join(", ", new TreeSet<>(known)) + ")"));
            }
        }
    }

    /** The text at {@code path} (relative to {@code node}'s last segment), or null after adding a problem. */
    static String requiredText(Manifest manifest, JsonNode node, String path, List<ManifestException.Problem> problems) {
        JsonNode value = node.get(path.substring(path.lastIndexOf('.') + 1));
        if (value == null || value.isNull()) {
            problems.add(manifest.problem(path, "is required"));
            return null;
        }
        if (!value.isValueNode()) {
            problems.add(manifest.problem(path, "expected a string, found " + describe(value)));
            return null;
        }
        if (value.asText().isBlank()) {
            problems.add(manifest.problem(path, "must not be blank"));
            return null;
        }
        return value.asText();
    }

    /** Parses YAML (or JSON, when the text starts with '{'), recording where each field is. */
    private static JsonNode parse(String text, String file, Map<String, Locations.Position> positions) {
        boolean json = text.stripLeading().startsWith("{");
        JsonFactory factory = json ? JSON : YAML;
        String[] lastField = {""};
        try (JsonParser locator = factory.createParser(text)) {
            JsonToken token = locator.nextToken();
            if (token == null) {
                throw new ManifestException(List.of(new ManifestException.Problem(file, 1, 1, "",
                        "the file holds no document; expected a manifest")));
            }
            record(locator, positions);
            int depth = token.isStructStart() ? 1 : 0;
            while (depth > 0) {
                token = locator.nextToken();
                if (token == null) {
                    break;
                }
                record(locator, positions);
                if (token == JsonToken.FIELD_NAME) {
                    lastField[0] = path(locator.getParsingContext().pathAsPointer().toString());
                }
                if (token.isStructStart()) {
                    depth++;
                }
                else if (token.isStructEnd()) {
                    depth--;
                }
            }
            if (locator.nextToken() != null) {
                JsonLocation at = locator.currentTokenLocation();
                throw new ManifestException(List.of(new ManifestException.Problem(file, Math.max(1, at.getLineNr()),
                        Math.max(1, at.getColumnNr()), "", json
                                ? "unexpected content after the manifest object"
                                : "holds more than one YAML document; put one manifest in each file")));
            }
        }
        catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ManifestException(List.of(new ManifestException.Problem(file,
                    at == null ? 1 : Math.max(1, at.getLineNr()), at == null ? 1 : Math.max(1, at.getColumnNr()), lastField[0],
                    (json ? "malformed JSON" : "malformed YAML") + (lastField[0].isEmpty() ? "" : " in or after this field")
                            + ": " + firstLine(e.getOriginalMessage()))));
        }
        catch (IOException e) {
            throw new ManifestException(List.of(new ManifestException.Problem(file, 1, 1, "", "cannot be read: " + e)));
        }
        try (JsonParser parser = factory.createParser(text)) {
            return MAPPER.readTree(parser);
        }
        catch (IOException e) {
            throw new ManifestException(List.of(new ManifestException.Problem(file, 1, 1, "", "cannot be read: " + e)));
        }
    }

    /** Records the position of the field name or array element the parser is on. */
    private static void record(JsonParser parser, Map<String, Locations.Position> positions) {
        JsonToken token = parser.currentToken();
        JsonStreamContext context = parser.getParsingContext();
        String pointer;
        if (token == JsonToken.FIELD_NAME) {
            pointer = context.pathAsPointer().toString();
        }
        else if (token.isStructEnd()) {
            return;
        }
        else if (token.isStructStart()) {
            JsonStreamContext parent = context.getParent();
            if (parent == null || !parent.inArray()) {
                if (parent == null || parent.inRoot()) {
                    positions.putIfAbsent("", position(parser.currentTokenLocation()));
                }
                return;
            }
            pointer = parent.pathAsPointer().toString();
        }
        else if (context.inArray()) {
            pointer = context.pathAsPointer().toString();
        }
        else {
            return;
        }
        positions.putIfAbsent(pointer, position(parser.currentTokenLocation()));
    }

    /** The manifest path of a JSON pointer: {@code /spec/sources/0/table} → {@code spec.sources[0].table}. */
    private static String path(String pointer) {
        StringBuilder path = new StringBuilder();
        for (String token : pointer.split("/")) {
            if (token.isEmpty()) {
                continue;
            }
            String name = token.replace("~1", "/").replace("~0", "~");
            if (name.chars().allMatch(Character::isDigit)) {
                path.append('[').append(name).append(']');
            }
            else {
                path.append(path.length() == 0 ? "" : ".").append(name);
            }
        }
        return path.toString();
    }

    private static Locations.Position position(JsonLocation location) {
        return new Locations.Position(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
    }

    /** The parser's message without its source excerpts: SnakeYAML's unindented lines, joined. */
    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "cannot be parsed";
        }
        List<String> lines = message.strip().lines().filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .map(String::strip).toList();
        return lines.isEmpty() ? message.strip() : String.join(": ", lines);
    }

    static String describe(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isNumber()) {
            return "the number " + node.asText();
        }
        if (node.isBoolean()) {
            return node.asText();
        }
        return "the text " + quote(node.asText());
    }

    static String quote(String value) {
        return "\"" + value + "\"";
    }
}
