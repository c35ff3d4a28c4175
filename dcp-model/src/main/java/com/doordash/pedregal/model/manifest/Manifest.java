package com.doordash.pedregal.model.manifest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A manifest file that passed the checks every kind shares ({@code apiVersion}, {@code kind}, {@code metadata.name},
 * {@code metadata.team}, a {@code spec} object), with the position of each of its fields, so that a plugin can
 * report a problem at the line it is on. Read one with {@link ManifestReader#read}.
 *
 * @param file the file's name as the user gave it, used in messages
 * @param kind the kind, one of {@link ManifestReader#KINDS}
 * @param name {@code metadata.name}
 * @param team {@code metadata.team}, the owning team
 * @param root the whole document
 */
public record Manifest(String file, String kind, String name, String team, ObjectNode root, Locations locations) {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build();

    public Manifest {
        requireNonNull(file, "file is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        requireNonNull(team, "team is null");
        requireNonNull(root, "root is null");
        requireNonNull(locations, "locations is null");
    }

    /** The {@code spec} object. */
    public ObjectNode spec() {
        return (ObjectNode) root.get("spec");
    }

    /** A problem with the field at {@code field} (a manifest path such as {@code spec.table}), placed at its line. */
    public ManifestException.Problem problem(String field, String reason) {
        Locations.Position position = locations.of(field);
        return new ManifestException.Problem(file, position.line(), position.column(), field, reason);
    }

    /** Fails with {@code problems} when there are any. */
    public static void check(List<ManifestException.Problem> problems) {
        if (!problems.isEmpty()) {
            throw new ManifestException(new ArrayList<>(problems));
        }
    }

    /** The document as YAML in one canonical layout (fields in file order, comments and quoting dropped), for diffs. */
    public String canonicalYaml() {
        return canonicalYaml(root);
    }

    /** {@code node} as YAML in the layout of {@link #canonicalYaml()}. */
    public static String canonicalYaml(JsonNode node) {
        try {
            return YAML.writeValueAsString(node);
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
