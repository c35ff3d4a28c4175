package com.doordash.pedregal.gateway.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A strict validator of resources against a CustomResourceDefinition's {@code openAPIV3Schema}: the API server would
 * prune an undeclared field silently (and the operator never see it), so here an undeclared field is an error, as is
 * a value of the wrong type, a missing required field, a value outside an enum or below a minimum.
 */
final class CrdSchema {
    private final Map<String, Object> schema;

    private CrdSchema(Map<String, Object> schema) {
        this.schema = schema;
    }

    /** The schema of version {@code version} of the CRD in class path resource {@code resource}. */
    @SuppressWarnings("unchecked")
    static CrdSchema load(String resource, String version) {
        try (InputStream in = CrdSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + resource);
            }
            Map<String, Object> crd = new ObjectMapper(new YAMLFactory()).readValue(in, Map.class);
            List<Map<String, Object>> versions = (List<Map<String, Object>>) ((Map<String, Object>) crd.get("spec")).get("versions");
            for (Map<String, Object> candidate : versions) {
                if (version.equals(candidate.get("name"))) {
                    return new CrdSchema((Map<String, Object>) ((Map<String, Object>) candidate.get("schema")).get("openAPIV3Schema"));
                }
            }
            throw new IllegalStateException(resource + " has no version " + version);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The errors of {@code resource} ({@code path: reason}); empty when it is valid. */
    List<String> validate(Object resource) {
        List<String> errors = new ArrayList<>();
        check(resource, schema, "", errors);
        return errors;
    }

    @SuppressWarnings("unchecked")
    private static void check(Object value, Map<String, Object> schema, String path, List<String> errors) {
        if (value == null) {
            if (!Boolean.TRUE.equals(schema.get("nullable"))) {
                errors.add(path + ": null");
            }
            return;
        }
        if (Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"))) {
            if (!(value instanceof String || isInteger(value))) {
                errors.add(path + ": " + describe(value) + " is neither an integer nor a string");
            }
            return;
        }
        if (schema.get("anyOf") instanceof List<?> branches) {
            boolean any = false;
            for (Object branch : branches) {
                List<String> branchErrors = new ArrayList<>();
                check(value, (Map<String, Object>) branch, path, branchErrors);
                any |= branchErrors.isEmpty();
            }
            if (!any) {
                errors.add(path + ": " + describe(value) + " matches none of " + branches);
                return;
            }
        }
        Object type = schema.get("type");
        if (type == null) {
            return; // no constraint (e.g. x-kubernetes-preserve-unknown-fields without a type)
        }
        switch (type.toString()) {
            case "object" -> {
                if (!(value instanceof Map<?, ?> map)) {
                    errors.add(path + ": " + describe(value) + " is not an object");
                    return;
                }
                Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
                Object additional = schema.get("additionalProperties");
                boolean preserve = Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"));
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    String key = String.valueOf(entry.getKey());
                    String child = path.isEmpty() ? key : path + "." + key;
                    if (properties != null && properties.containsKey(key)) {
                        check(entry.getValue(), (Map<String, Object>) properties.get(key), child, errors);
                    }
                    else if (additional instanceof Map<?, ?> additionalSchema) {
                        check(entry.getValue(), (Map<String, Object>) additionalSchema, child, errors);
                    }
                    else if (properties != null && !preserve && !Boolean.TRUE.equals(additional)) {
                        errors.add(child + ": not a field of the schema");
                    }
                }
                if (schema.get("required") instanceof List<?> required) {
                    for (Object key : required) {
                        if (!map.containsKey(key)) {
                            errors.add((path.isEmpty() ? "" : path + ".") + key + ": required");
                        }
                    }
                }
            }
            case "array" -> {
                if (!(value instanceof List<?> list)) {
                    errors.add(path + ": " + describe(value) + " is not an array");
                    return;
                }
                for (int i = 0; i < list.size(); i++) {
                    check(list.get(i), (Map<String, Object>) schema.get("items"), path + "[" + i + "]", errors);
                }
            }
            case "string" -> {
                if (!(value instanceof String)) {
                    errors.add(path + ": " + describe(value) + " is not a string");
                }
            }
            case "integer" -> {
                if (!isInteger(value)) {
                    errors.add(path + ": " + describe(value) + " is not an integer");
                }
                else if (schema.get("minimum") instanceof Number minimum && ((Number) value).longValue() < minimum.longValue()) {
                    errors.add(path + ": " + value + " is below the minimum " + minimum);
                }
            }
            case "number" -> {
                if (!(value instanceof Number)) {
                    errors.add(path + ": " + describe(value) + " is not a number");
                }
            }
            case "boolean" -> {
                if (!(value instanceof Boolean)) {
                    errors.add(path + ": " + describe(value) + " is not a boolean");
                }
            }
            default -> errors.add(path + ": the schema's type " + type + " is not known to this validator");
        }
        if (schema.get("enum") instanceof List<?> allowed && !allowed.contains(value)) {
            errors.add(path + ": " + value + " is not one of " + allowed);
        }
    }

    private static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short;
    }

    private static String describe(Object value) {
        return value instanceof String ? "\"" + value + "\"" : value + " (" + value.getClass().getSimpleName() + ")";
    }
}
