package com.doordash.pedregal.pretzel;

import com.doordash.pedregal.client.DeletedPlayground;
import com.doordash.pedregal.client.Playground;
import com.doordash.pedregal.client.PlaygroundRequest;
import com.doordash.pedregal.client.PlaygroundResource;
import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pretzel playground}: isolated namespaces with a time to live, where manifests are applied and run. */
@Command(name = "playground", mixinStandardHelpOptions = true,
        description = {"Playgrounds: your own Iceberg namespace in a team, with a time to live. Manifests are applied "
                + "and run in the current playground (set by 'create' and 'use'; --playground overrides it)."},
        subcommands = {PlaygroundCommand.Create.class, PlaygroundCommand.ListPlaygrounds.class,
            PlaygroundCommand.Show.class, PlaygroundCommand.Extend.class, PlaygroundCommand.Delete.class,
            PlaygroundCommand.Use.class},
        footer = {"", "Example:", "  pretzel playground create demo --team data-infra --ttl 7d",
            "  pretzel playground list"})
final class PlaygroundCommand extends BaseCommand {
    @Override
    public Integer call() {
        spec.commandLine().usage(terminal().err());
        return ExitCodes.USAGE;
    }

    /** Whether {@code ref} (a playground name or id) names {@code playground}. */
    private static boolean names(Optional<String> ref, Playground playground) {
        return ref.filter(value -> value.equals(playground.name()) || value.equals(playground.id())).isPresent();
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates a playground and makes it the current one.",
            footer = {"", "Example:", "  pretzel playground create demo --ttl 3d"})
    static final class Create extends BaseCommand {
        @Parameters(paramLabel = "NAME", description = "The playground's name.")
        String name;

        @Option(names = "--team", paramLabel = "TEAM", description = "The owning team (needed when you are in several).")
        String team;

        @Option(names = "--ttl", paramLabel = "TTL", converter = Ttl.class,
                description = "How long it lives: 45s, 90m, 36h, 7d (default: the server's, 7d).")
        Duration ttl;

        @Override
        public Integer call() {
            PlaygroundRequest.Builder request = PlaygroundRequest.builder().name(name);
            if (team != null) {
                request.team(team);
            }
            if (ttl != null) {
                request.ttl(ttl);
            }
            Playground playground = client().createPlayground(request.build());
            config().saveCurrentPlayground(playground.name());
            if (json()) {
                printJson(playground.json());
            }
            else {
                out().println("created playground " + playground.name() + " (" + playground.id() + ") of team "
                        + playground.team() + ": tables go to " + playground.catalog() + "." + playground.namespace()
                        + expiry(playground));
                out().println("it is now the current playground");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists your teams' playgrounds, newest first; * marks the current one.",
            footer = {"", "Example:", "  pretzel playground list --team data-infra"})
    static final class ListPlaygrounds extends BaseCommand {
        @Option(names = "--team", paramLabel = "TEAM", description = "Only this team's playgrounds.")
        String team;

        @Override
        public Integer call() {
            List<Playground> playgrounds = team == null ? client().listPlaygrounds() : client().listPlaygrounds(team);
            if (json()) {
                ObjectNode answer = Json.mapper().createObjectNode();
                ArrayNode array = answer.putArray("playgrounds");
                playgrounds.forEach(playground -> array.add(playground.json()));
                printJson(answer);
                return ExitCodes.OK;
            }
            if (playgrounds.isEmpty()) {
                out().println("no playgrounds; create one with: pretzel playground create NAME");
                return ExitCodes.OK;
            }
            Optional<String> current = playground();
            TextTable table = new TextTable(List.of("", "NAME", "ID", "TEAM", "USER", "NAMESPACE", "EXPIRES", "RESOURCES"));
            Instant now = Instant.now();
            for (Playground playground : playgrounds) {
                boolean isCurrent = names(current, playground);
                table.row(List.of(isCurrent ? "*" : "", playground.name(), playground.id(), playground.team(),
                        playground.user(), playground.namespace(),
                        playground.expiresAt() == null ? "" : "in " + Ttl.describe(Duration.between(now, playground.expiresAt())),
                        String.valueOf(playground.resources().size())));
            }
            out().print(table.render(""));
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows a playground (default: the current one) and what was applied in it.",
            footer = {"", "Example:", "  pretzel playground show demo"})
    static final class Show extends BaseCommand {
        @Parameters(paramLabel = "NAME", arity = "0..1", description = "The playground's name or id (default: the current one).")
        String name;

        @Override
        public Integer call() {
            Playground playground = client().getPlayground(playgroundOr(name));
            if (json()) {
                printJson(playground.json());
                return ExitCodes.OK;
            }
            TextTable table = TextTable.withoutHeader(2);
            table.row(List.of("playground", playground.name() + " (" + playground.id() + ")"));
            table.row(List.of("team", playground.team()));
            table.row(List.of("user", playground.user()));
            table.row(List.of("namespace", playground.catalog() + "." + playground.namespace()));
            if (playground.createdAt() != null) {
                table.row(List.of("created", playground.createdAt().toString()));
            }
            if (playground.expiresAt() != null) {
                table.row(List.of("expires", playground.expiresAt() + " (in "
                        + Ttl.describe(Duration.between(Instant.now(), playground.expiresAt())) + ")"));
            }
            out().print(table.render(""));
            if (playground.resources().isEmpty()) {
                out().println("nothing applied yet");
                return ExitCodes.OK;
            }
            TextTable resources = new TextTable(List.of("KIND", "NAME", "TABLES", "APPLIED"));
            for (PlaygroundResource resource : playground.resources()) {
                resources.row(List.of(resource.kind(), resource.name(), String.join(", ", resource.tables()),
                        resource.appliedAt() == null ? "" : resource.appliedAt().toString()));
            }
            out().print(resources.render(""));
            return ExitCodes.OK;
        }
    }

    @Command(name = "extend", mixinStandardHelpOptions = true,
            description = "Makes a playground (default: the current one) expire TTL from now.",
            footer = {"", "Example:", "  pretzel playground extend demo --ttl 3d"})
    static final class Extend extends BaseCommand {
        @Parameters(paramLabel = "NAME", arity = "0..1", description = "The playground's name or id (default: the current one).")
        String name;

        @Option(names = "--ttl", paramLabel = "TTL", required = true, converter = Ttl.class,
                description = "The new time to live from now: 45s, 90m, 36h, 7d.")
        Duration ttl;

        @Override
        public Integer call() {
            Playground playground = client().extendPlayground(playgroundOr(name), ttl);
            if (json()) {
                printJson(playground.json());
            }
            else {
                out().println("playground " + playground.name() + expiry(playground));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes a playground (default: the current one): drops its tables and cancels its jobs.",
            footer = {"", "Example:", "  pretzel playground delete demo"})
    static final class Delete extends BaseCommand {
        @Parameters(paramLabel = "NAME", arity = "0..1", description = "The playground's name or id (default: the current one).")
        String name;

        @Override
        public Integer call() {
            DeletedPlayground deleted = client().deletePlayground(playgroundOr(name));
            Playground playground = deleted.playground();
            Optional<String> current = config().currentPlayground();
            if (names(current, playground)) {
                config().clearCurrentPlayground();
            }
            if (json()) {
                printJson(deleted.json());
                return ExitCodes.OK;
            }
            out().println("deleted playground " + playground.name() + " (" + playground.id() + ")");
            out().println("dropped tables: " + (deleted.droppedTables().isEmpty() ? "none" : String.join(", ", deleted.droppedTables())));
            out().println("cancelled jobs: " + (deleted.cancelledJobs().isEmpty() ? "none" : String.join(", ", deleted.cancelledJobs())));
            return ExitCodes.OK;
        }
    }

    @Command(name = "use", mixinStandardHelpOptions = true,
            description = "Makes a playground the current one (stored in the config file).",
            footer = {"", "Example:", "  pretzel playground use demo"})
    static final class Use extends BaseCommand {
        @Parameters(paramLabel = "NAME", description = "The playground's name or id.")
        String name;

        @Override
        public Integer call() {
            // Checked first, so that a typo does not become the current playground.
            Playground playground = client().getPlayground(name);
            config().saveCurrentPlayground(playground.name());
            if (json()) {
                printJson(playground.json());
            }
            else {
                out().println("current playground: " + playground.name() + " (" + playground.id() + ")" + expiry(playground));
            }
            return ExitCodes.OK;
        }
    }

    private static String expiry(Playground playground) {
        if (playground.expiresAt() == null) {
            return "";
        }
        return "; expires " + playground.expiresAt() + " (in "
                + Ttl.describe(Duration.between(Instant.now(), playground.expiresAt())) + ")";
    }
}
