package com.doordash.pedregal.server.playground;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.auth.Caller;
import com.doordash.pedregal.model.manifest.Manifest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;

/**
 * What a manifest kind does for each command. The service reads and checks the manifest's common part, checks the
 * caller may act for its team, resolves the playground, and hands the plugin of the manifest's kind a {@link Command}.
 * Answers are JSON objects; the service adds {@code kind}, {@code name} and {@code playground}.
 */
interface ManifestPlugin {
    /** The kind this plugin handles. */
    String kind();

    /** What {@code apply} would change, as a diff against what is applied; changes nothing. */
    ObjectNode plan(Command command);

    /** Registers the manifest (and creates what it needs, such as a playground's tables). */
    ObjectNode apply(Command command);

    /** Checks the manifest's job on the read-only test cluster; writes nothing. */
    ObjectNode test(Command command);

    /** Runs the manifest's job; answers with the job's ids. */
    ObjectNode run(Command command);

    /** Removes what {@code apply} registered and created. */
    ObjectNode delete(Command command);

    /**
     * One command's input.
     *
     * @param caller who asks
     * @param manifest the manifest file, common part checked
     * @param playground the playground it is for, if any
     * @param options {@code test} options ({@code sections}, {@code preview_limit}, {@code policy})
     */
    record Command(Caller caller, Manifest manifest, Optional<Playground> playground, Map<String, Object> options) {
        public Command {
            requireNonNull(caller, "caller is null");
            requireNonNull(manifest, "manifest is null");
            requireNonNull(playground, "playground is null");
            options = options == null ? Map.of() : options;
        }

        /** The scope manifests are applied in: the playground's id, or production. */
        String scope() {
            return playground.map(Playground::id).orElse(AppliedManifest.PRODUCTION);
        }
    }
}
