package com.doordash.pedregal.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/manifests/{command}}.
 *
 * @param manifest the manifest file's text, YAML or JSON
 * @param file the file's name, used in messages ({@code B.yaml:7:5: ...}); {@code manifest} when left out
 * @param playground the playground to act in (its id, or the name of one of the caller's playgrounds), if any
 * @param kind the kind the caller expects, if it expects one
 * @param options for {@code test}: the options of {@code POST /api/v1/tests}
 */
public record ManifestRequest(String manifest, String file, String playground, String kind, Map<String, Object> options) {
    public ManifestRequest {
        options = options == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }
}
