package com.doordash.pedregal.model.json;

import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.error.Violation;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MutableCoercionConfig;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The platform's JSON settings, and reading of request bodies that turns every Jackson failure into an
 * {@link InvalidRequestException} naming the field (for example {@code config.resources.driver.cores:
 * expected an integer}).
 */
public final class Json {
    private static final ObjectMapper MAPPER = strict(JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build());

    private Json() {
    }

    /**
     * No value changes its JSON type on the way in: {@code "name": 123}, {@code "spark_version": 3.5}, {@code "cores":
     * 2.5}, {@code "cores": "2"} and {@code "dynamic_allocation": "true"} are refused, naming the field and the type it
     * expects, instead of being read as something the sender did not write.
     */
    private static ObjectMapper strict(ObjectMapper mapper) {
        refuse(mapper, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean);
        refuse(mapper, LogicalType.Integer, CoercionInputShape.Float, CoercionInputShape.String, CoercionInputShape.Boolean,
                CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Float, CoercionInputShape.String, CoercionInputShape.Boolean, CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Boolean, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.String,
                CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Enum, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.EmptyString);
        return mapper;
    }

    private static void refuse(ObjectMapper mapper, LogicalType type, CoercionInputShape... shapes) {
        MutableCoercionConfig config = mapper.coercionConfigFor(type);
        for (CoercionInputShape shape : shapes) {
            config.setCoercion(shape, CoercionAction.Fail);
        }
    }

    /** The shared mapper: strict on input, omits nulls on output. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Reads {@code text} as a {@code type}, or fails with the field path and reason. */
    public static <T> T read(String text, Class<T> type) {
        if (text == null || text.isBlank()) {
            throw new InvalidRequestException("", "the request body is empty; expected a JSON object");
        }
        try {
            return MAPPER.readValue(text, type);
        }
        catch (JsonProcessingException e) {
            throw new InvalidRequestException(List.of(violationOf(e)));
        }
    }

    /** Binds the JSON tree {@code node} to a {@code type}, or fails with the field path and reason. */
    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        }
        catch (JsonProcessingException e) {
            throw new InvalidRequestException(List.of(violationOf(e)));
        }
        catch (IllegalArgumentException e) {
            throw new InvalidRequestException("", e.getMessage());
        }
    }

    /** Writes {@code value} as compact JSON. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The problem a Jackson failure describes, with the path of the field it happened at. */
    static Violation violationOf(JsonProcessingException e) {
        String path = e instanceof JsonMappingException mapping ? pathOf(mapping.getPath()) : "";
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new Violation(path, "unknown field (expected one of: " + names(unknown.getKnownPropertyIds()) + ")");
        }
        if (e instanceof ValueInstantiationException instantiation && instantiation.getCause() != null) {
            return new Violation(path, instantiation.getCause().getMessage());
        }
        if (e instanceof InvalidFormatException format && format.getCause() instanceof IllegalArgumentException cause) {
            return new Violation(path, cause.getMessage());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                && !(e.getCause() instanceof JsonProcessingException)) {
            return new Violation(path, "expected " + describe(mismatch.getTargetType()));
        }
        if (e instanceof JsonParseException || e.getCause() instanceof JsonParseException) {
            return new Violation(path, "malformed JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage());
        }
        return new Violation(path, e.getOriginalMessage());
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 0
                ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String pathOf(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            }
            else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String names(Collection<Object> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new)).stream()
                .collect(Collectors.joining(", "));
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object of string values";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum()) {
            return "a string";
        }
        return "an object";
    }
}
