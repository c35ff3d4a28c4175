package com.doordash.pedregal.model.json;

import com.doordash.pedregal.model.spec.CoreEtlSpec;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.IOException;

/**
 * Reads {@code job_spec} both as a JSON object (the REST example) and as a string holding JSON (what
 * the seed's Java client sends through {@code jobSpec(String)}). Errors inside a string keep their
 * path inside the spec.
 */
public final class JobSpecDeserializer extends JsonDeserializer<CoreEtlSpec> {
    @Override
    public CoreEtlSpec deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            return context.readValue(parser, CoreEtlSpec.class);
        }
        String text = parser.getText();
        try (JsonParser inner = parser.getCodec().getFactory().createParser(text)) {
            inner.setCodec(parser.getCodec());
            if (inner.nextToken() != JsonToken.START_OBJECT) {
                throw JsonMappingException.from(parser, "is a string but does not hold a JSON object");
            }
            CoreEtlSpec spec = context.readValue(inner, CoreEtlSpec.class);
            if (inner.nextToken() != null) {
                throw JsonMappingException.from(parser, "is a string with text after its JSON object");
            }
            return spec;
        }
        catch (JsonMappingException e) {
            throw e;
        }
        catch (JsonProcessingException e) {
            throw JsonMappingException.from(parser, "is a string but not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
