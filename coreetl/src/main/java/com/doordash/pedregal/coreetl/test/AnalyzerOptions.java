package com.doordash.pedregal.coreetl.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What {@link SpecAnalyzer} computes. Read from JSON where every field is optional:
 * {@code {"sections": {"schemas": true, "explain": true, "lineage": true, "policy": true, "preview": true,
 * "schema_diff": true, "cost": true}, "preview_limit": 20, "policy": {"allowed_sink_namespaces": ["derived"],
 * "require_partition_filter": true, "forbid_select_star": true, "forbid_cartesian": true}}}.
 */
record AnalyzerOptions(
        Set<String> sections,
        int previewLimit,
        List<String> allowedSinkNamespaces,
        boolean requirePartitionFilter,
        boolean forbidSelectStar,
        boolean forbidCartesian) {
    static final List<String> SECTIONS = List.of("schemas", "explain", "lineage", "policy", "preview", "schema_diff", "cost");
    static final int DEFAULT_PREVIEW_LIMIT = 20;
    static final int MAX_PREVIEW_LIMIT = 100;

    AnalyzerOptions {
        sections = Set.copyOf(sections);
        allowedSinkNamespaces = List.copyOf(allowedSinkNamespaces);
    }

    boolean enabled(String section) {
        return sections.contains(section);
    }

    /** Parses {@code json} (null or blank: every default); throws IllegalArgumentException naming the bad field. */
    static AnalyzerOptions parse(String json, ObjectMapper mapper) {
        JsonNode root;
        try {
            root = json == null || json.isBlank() ? mapper.createObjectNode() : mapper.readTree(json);
        }
        catch (Exception e) {
            throw new IllegalArgumentException("options: not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("options: expected a JSON object");
        }
        Set<String> sections = new java.util.LinkedHashSet<>(SECTIONS);
        JsonNode sectionNode = root.path("sections");
        if (!sectionNode.isMissingNode() && !sectionNode.isNull()) {
            if (!sectionNode.isObject()) {
                throw new IllegalArgumentException("options.sections: expected an object of booleans");
            }
            sectionNode.fields().forEachRemaining(entry -> {
                if (!SECTIONS.contains(entry.getKey())) {
                    throw new IllegalArgumentException("options.sections." + entry.getKey() + ": unknown section (expected one of " + SECTIONS + ")");
                }
                if (!entry.getValue().isBoolean()) {
                    throw new IllegalArgumentException("options.sections." + entry.getKey() + ": expected true or false");
                }
                if (!entry.getValue().booleanValue()) {
                    sections.remove(entry.getKey());
                }
            });
        }
        int limit = DEFAULT_PREVIEW_LIMIT;
        JsonNode limitNode = root.path("preview_limit");
        if (!limitNode.isMissingNode() && !limitNode.isNull()) {
            if (!limitNode.isInt() || limitNode.intValue() < 0) {
                throw new IllegalArgumentException("options.preview_limit: " + limitNode + " (expected an integer >= 0)");
            }
            limit = Math.min(limitNode.intValue(), MAX_PREVIEW_LIMIT);
        }
        JsonNode policy = root.path("policy");
        List<String> namespaces = new ArrayList<>(List.of("derived"));
        JsonNode namespaceNode = policy.path("allowed_sink_namespaces");
        if (!namespaceNode.isMissingNode() && !namespaceNode.isNull()) {
            if (!namespaceNode.isArray()) {
                throw new IllegalArgumentException("options.policy.allowed_sink_namespaces: expected an array of strings");
            }
            namespaces.clear();
            namespaceNode.forEach(n -> namespaces.add(n.asText()));
        }
        return new AnalyzerOptions(sections, limit, namespaces,
                flag(policy, "require_partition_filter"), flag(policy, "forbid_select_star"), flag(policy, "forbid_cartesian"));
    }

    private static boolean flag(JsonNode policy, String name) {
        JsonNode node = policy.path(name);
        if (node.isMissingNode() || node.isNull()) {
            return true;
        }
        if (!node.isBoolean()) {
            throw new IllegalArgumentException("options.policy." + name + ": expected true or false");
        }
        return node.booleanValue();
    }
}
