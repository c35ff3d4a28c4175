package com.doordash.pedregal.server.playground;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.auth.Caller;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.model.manifest.Manifest;
import com.doordash.pedregal.model.manifest.ManifestReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manifest commands {@code plan}, {@code apply}, {@code test}, {@code run} and {@code delete}: reads the manifest
 * (YAML or JSON), checks the caller may act for its team and the playground's, and hands it to the plugin of its kind.
 */
public final class ManifestService {
    /** The commands, in the order a user meets them. */
    public static final List<String> COMMANDS = List.of("plan", "apply", "test", "run", "delete");
    private static final Logger log = LoggerFactory.getLogger(ManifestService.class);

    private final Map<String, ManifestPlugin> plugins;
    private final PlaygroundService playgrounds;

    ManifestService(List<ManifestPlugin> plugins, PlaygroundService playgrounds) {
        this.plugins = plugins.stream().collect(Collectors.toUnmodifiableMap(ManifestPlugin::kind, Function.identity()));
        this.playgrounds = requireNonNull(playgrounds, "playgrounds is null");
    }

    /**
     * Runs {@code command} on the manifest in {@code text} (named {@code file} in messages) for {@code caller}, in the
     * playground {@code playgroundRef} names (or none); {@code expectedKind}, when given, must be the manifest's kind.
     */
    public ObjectNode handle(String command, String text, String file, String playgroundRef, String expectedKind,
            Map<String, Object> options, Caller caller) {
        if (!COMMANDS.contains(command)) {
            throw new PlatformException(ErrorCode.NOT_FOUND, "no manifest command " + command + " (commands: "
                    + String.join(", ", COMMANDS) + ")");
        }
        if (text == null) {
            throw new InvalidRequestException("manifest", "is required: the manifest file's text (YAML or JSON)");
        }
        Manifest manifest = ManifestReader.read(text, file);
        if (expectedKind != null && !expectedKind.equals(manifest.kind())) {
            throw new PlatformException(ErrorCode.INVALID_MANIFEST, manifest.problem("kind", "is " + manifest.kind()
                    + "; this command takes a " + expectedKind).toString(), "kind");
        }
        caller.checkTeam(manifest.team(), "metadata.team");
        Optional<Playground> playground = Optional.ofNullable(playgroundRef).filter(ref -> !ref.isBlank())
                .map(ref -> command.equals("test") ? playgrounds.get(caller, ref) : playgrounds.getForChange(caller, ref));
        playground.ifPresent(p -> {
            if (!p.team().equals(manifest.team())) {
                throw new PlatformException(ErrorCode.INVALID_MANIFEST, manifest.problem("metadata.team", "is "
                        + manifest.team() + ", but playground " + p.name() + " belongs to team " + p.team()).toString(),
                        "metadata.team");
            }
        });
        ManifestPlugin plugin = plugins.get(manifest.kind());
        ManifestPlugin.Command input = new ManifestPlugin.Command(caller, manifest, playground, options);
        ObjectNode answer = switch (command) {
            case "plan" -> plugin.plan(input);
            case "apply" -> plugin.apply(input);
            case "test" -> plugin.test(input);
            case "run" -> plugin.run(input);
            default -> plugin.delete(input);
        };
        if (!command.equals("plan") && !command.equals("test")) {
            log.info("{} {} {} of team {} by {}{}: {}", command, manifest.kind(), manifest.name(), manifest.team(),
                    caller.user(), playground.map(p -> " in playground " + p.id()).orElse(""),
                    answer.path("action").asText(answer.path("job_id").asText("")));
        }
        ObjectNode result = answer.objectNode();
        result.put("kind", manifest.kind());
        result.put("name", manifest.name());
        playground.ifPresent(p -> result.put("playground", p.name()));
        result.setAll(answer);
        return result;
    }
}
