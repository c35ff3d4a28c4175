package com.doordash.pedregal.model;

import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code test} computes: the options of {@code POST /api/v1/tests} and of the test cluster's {@code dcp_analyze},
 * read from JSON where every field is optional:
 * {@code {"sections": {"schemas": true, "explain": true, "lineage": true, "policy": true, "preview": true,
 * "schema_diff": true, "cost": true}, "preview_limit": 20, "policy": {"allowed_sink_namespaces": ["derived"],
 * "require_partition_filter": true, "forbid_select_star": true, "forbid_cartesian": true}}}. An unknown or mistyped
 * option is an {@link InvalidRequestException} naming its path ({@code options.preview_limit}).
 *
 * @param sections the report sections to compute
 * @param previewLimit how many rows the preview shows, at most {@link #MAX_PREVIEW_LIMIT}
 * @param allowedSinkNamespaces the namespaces sinks may write to (policy)
 * @param requirePartitionFilter whether a partitioned source without a partition filter is a warning (policy)
 * @param forbidSelectStar whether {@code SELECT *} into a sink is a warning (policy)
 * @param forbidCartesian whether a cartesian product is an error (policy)
 */
public record TestOptions(
        Set<String> sections,
        int previewLimit,
        List<String> allowedSinkNamespaces,
        boolean requirePartitionFilter,
        boolean forbidSelectStar,
        boolean forbidCartesian) {
    /** Every report section, in report order. */
    public static final List<String> SECTIONS = List.of("schemas", "explain", "lineage", "policy", "preview", "schema_diff", "cost");
    public static final int DEFAULT_PREVIEW_LIMIT = 20;
    public static final int MAX_PREVIEW_LIMIT = 100;
    private static final Set<String> KEYS = Set.of("sections", "preview_limit", "policy");
    private static final Set<String> POLICY_KEYS = Set.of("allowed_sink_namespaces", "require_partition_filter",
            "forbid_select_star", "forbid_cartesian");

    public TestOptions {
        sections = Set.copyOf(sections);
        allowedSinkNamespaces = List.copyOf(allowedSinkNamespaces);
    }

    /** Whether {@code section} is computed. */
    public boolean enabled(String section) {
        return sections.contains(section);
    }

    /** The defaults: every section, a preview of 20 rows, every policy check, sinks in {@code derived}. */
    public static TestOptions defaults() {
        return parse(Json.mapper().createObjectNode());
    }

    /** Reads options from JSON text; null or blank for the defaults. */
    public static TestOptions parse(String json) {
        if (json == null || json.isBlank()) {
            return defaults();
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        }
        catch (Exception e) {
            throw new InvalidRequestException("options", "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return parse(root);
    }

    /** Reads options from a map of JSON values (a request's {@code options}). */
    public static TestOptions parse(Map<String, Object> options) {
        return parse((JsonNode) Json.mapper().valueToTree(options));
    }

    /** Reads options from a JSON tree; missing or null for the defaults. */
    public static TestOptions parse(JsonNode root) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            return defaults();
        }
        if (!root.isObject()) {
            throw new InvalidRequestException("options", "expected a JSON object");
        }
        unknownKeys(root, KEYS, "options.");
        Set<String> sections = new LinkedHashSet<>(SECTIONS);
        JsonNode sectionNode = root.path("sections");
        if (present(sectionNode)) {
            if (!sectionNode.isObject()) {
                throw new InvalidRequestException("options.sections", "expected an object of booleans");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = sectionNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String field = "options.sections." + entry.getKey();
                if (!SECTIONS.contains(entry.getKey())) {
                    throw new InvalidRequestException(field, "unknown section (expected one of " + SECTIONS + ")");
                }
                if (!entry.getValue().isBoolean()) {
                    throw new InvalidRequestException(field, "expected true or false");
                }
                if (!entry.getValue().booleanValue()) {
                    sections.remove(entry.getKey());
                }
            }
        }
        int limit = DEFAULT_PREVIEW_LIMIT;
        JsonNode limitNode = root.path("preview_limit");
        if (present(limitNode)) {
            if (!limitNode.isInt() || limitNode.intValue() < 0 || limitNode.intValue() > MAX_PREVIEW_LIMIT) {
                throw new InvalidRequestException("options.preview_limit",
                        limitNode + " is not an integer from 0 to " + MAX_PREVIEW_LIMIT);
            }
            limit = limitNode.intValue();
        }
        JsonNode policy = root.path("policy");
        if (present(policy) && !policy.isObject()) {
            throw new InvalidRequestException("options.policy", "expected a JSON object");
        }
        if (present(policy)) {
            unknownKeys(policy, POLICY_KEYS, "options.policy.");
        }
        List<String> namespaces = new ArrayList<>(List.of("derived"));
        JsonNode namespaceNode = policy.path("allowed_sink_namespaces");
        if (present(namespaceNode)) {
            if (!namespaceNode.isArray()) {
                throw new InvalidRequestException("options.policy.allowed_sink_namespaces", "expected an array of strings");
            }
            namespaces.clear();
            for (int i = 0; i < namespaceNode.size(); i++) {
                if (!namespaceNode.get(i).isTextual()) {
                    throw new InvalidRequestException("options.policy.allowed_sink_namespaces[" + i + "]", "expected a string");
                }
                namespaces.add(namespaceNode.get(i).textValue());
            }
        }
        return new TestOptions(sections, limit, namespaces,
                flag(policy, "require_partition_filter"), flag(policy, "forbid_select_star"), flag(policy, "forbid_cartesian"));
    }

    private static void unknownKeys(JsonNode object, Set<String> known, String prefix) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new InvalidRequestException(prefix + name, "unknown option (expected one of: "
                        + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private static boolean present(JsonNode node) {
        return !node.isMissingNode() && !node.isNull();
    }

    private static boolean flag(JsonNode policy, String name) {
        JsonNode node = policy.path(name);
        if (!present(node)) {
            return true;
        }
        if (!node.isBoolean()) {
            throw new InvalidRequestException("options.policy." + name, "expected true or false");
        }
        return node.booleanValue();
    }
}
