package com.doordash.pedregal.client;

import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Optional;

/**
 * A manifest to send to {@code POST /api/v1/manifests/{command}}: the file's text (the server parses it, so that its
 * errors name {@code file:line:column}), the file's name for those errors, and optionally the playground, the kind
 * the caller expects and the options of a {@code test}.
 *
 * <pre>{@code
 * ManifestRequest request = ManifestRequest.builder()
 *     .manifest(Files.readString(Path.of("B.yaml")))
 *     .file("B.yaml")
 *     .playground("demo")
 *     .kind("DerivedDataset")
 *     .build();
 * }</pre>
 */
public final class ManifestRequest {
    private final String manifest;
    private final String file;
    private final String playground;
    private final String kind;
    private final JsonNode options;

    private ManifestRequest(Builder builder) {
        this.manifest = Checks.required("manifest", builder.manifest, "the manifest's YAML or JSON text");
        this.file = builder.file;
        this.playground = builder.playground;
        this.kind = builder.kind;
        this.options = builder.options;
    }

    /** A builder; only the manifest is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The manifest's text, YAML or JSON. */
    public String getManifest() {
        return manifest;
    }

    /** The file name the server uses in its error messages. */
    public Optional<String> getFile() {
        return Optional.ofNullable(file);
    }

    /** The playground (id or name) to act in. */
    public Optional<String> getPlayground() {
        return Optional.ofNullable(playground);
    }

    /** The kind the caller expects, such as {@code DerivedDataset}; the server refuses a manifest of another kind. */
    public Optional<String> getKind() {
        return Optional.ofNullable(kind);
    }

    /** The options of a {@code test} (a copy), as for {@code POST /api/v1/tests}. */
    public Optional<JsonNode> getOptions() {
        return Optional.ofNullable(options).map(JsonNode::deepCopy);
    }

    @Override
    public String toString() {
        return "ManifestRequest{file=" + file + ", playground=" + playground + ", kind=" + kind + ", options=" + options
                + ", manifest=" + manifest.length() + " chars}";
    }

    /** Builds a {@link ManifestRequest}; each value is checked as it is set. */
    public static final class Builder {
        private String manifest;
        private String file;
        private String playground;
        private String kind;
        private JsonNode options;

        private Builder() {
        }

        /** The manifest's YAML or JSON text, as read from its file; not blank. */
        public Builder manifest(String manifest) {
            this.manifest = Checks.nonBlank("manifest", manifest);
            return this;
        }

        /** The file name for error messages, such as {@code B.yaml}. */
        public Builder file(String file) {
            this.file = Checks.nonBlank("file", file);
            return this;
        }

        /** The playground to act in: its id or the name of one of the caller's playgrounds. */
        public Builder playground(String playground) {
            this.playground = Checks.nonBlank("playground", playground);
            return this;
        }

        /** The kind expected, such as {@code DerivedDataset} or {@code SparkJob}. */
        public Builder kind(String kind) {
            this.kind = Checks.nonBlank("kind", kind);
            return this;
        }

        /** The options of a {@code test} as a JSON object, such as {@code {"preview_limit": 5}}. */
        public Builder options(String optionsJson) {
            JsonNode parsed;
            try {
                parsed = Json.mapper().readTree(Checks.nonBlank("options", optionsJson));
            }
            catch (IOException e) {
                throw Checks.invalid("options", Checks.quote(optionsJson), "a JSON object");
            }
            if (parsed == null || !parsed.isObject()) {
                throw Checks.invalid("options", Checks.quote(optionsJson), "a JSON object");
            }
            this.options = parsed;
            return this;
        }

        /** The request; fails when no manifest was set. */
        public ManifestRequest build() {
            return new ManifestRequest(this);
        }
    }
}
