package com.doordash.pedregal.pretzel;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.client.DCPSparkClient;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code pretzel}: the root command. It holds the options every command takes (they may be given before or after the
 * subcommand) and, for the one command being run, the configuration and the client.
 */
@Command(name = "pretzel", mixinStandardHelpOptions = true, versionProvider = PretzelCommand.Version.class,
        description = {"The command line of the DCP Spark platform: playgrounds, manifests (DerivedDataset, SparkJob) "
                + "and Spark jobs.", ""},
        subcommands = {
            PlaygroundCommand.class,
            DerivedDatasetCommand.class,
            ManifestCommands.Plan.class,
            ManifestCommands.Apply.class,
            ManifestCommands.Test.class,
            ManifestCommands.Run.class,
            ManifestCommands.Delete.class,
            JobsCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {"", "Configuration: --server/--token flags, else PRETZEL_SERVER/PRETZEL_TOKEN, else the config file "
                + "(~/.pretzel/config.properties or $PRETZEL_CONFIG, keys server, token, playground); "
                + "the server defaults to http://localhost:8080.",
            "", "Example:", "  pretzel playground create demo --ttl 7d",
            "  pretzel derived-dataset apply B.yaml && pretzel derived-dataset run B.yaml"})
final class PretzelCommand implements Callable<Integer> {
    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "The DCP server, e.g. http://localhost:8080 (else PRETZEL_SERVER, else the config file).")
    String server;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "The bearer token (else PRETZEL_TOKEN, else the config file). Never printed.")
    String token;

    @Option(names = "--playground", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "The playground to act in, instead of the current one (else PRETZEL_PLAYGROUND).")
    String playground;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json: the server's JSON answer(s) only, one document a line.")
    Output output;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private final Terminal terminal;
    private CliConfig config;
    private DCPSparkClient client;

    PretzelCommand(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(terminal.err());
        return ExitCodes.USAGE;
    }

    Terminal terminal() {
        return terminal;
    }

    /** The configuration, read on first use. */
    CliConfig config() {
        if (config == null) {
            config = CliConfig.load(terminal.env());
        }
        return config;
    }

    /** The client of the configured server with the configured token, built on first use. */
    DCPSparkClient client() {
        if (client == null) {
            DCPSparkClient.Builder builder = DCPSparkClient.builder();
            String url = config().server(server);
            try {
                builder.baseUrl(url);
            }
            catch (IllegalArgumentException e) {
                throw new UsageException("the server " + url + " is not an http:// or https:// URL such as "
                        + CliConfig.DEFAULT_SERVER);
            }
            config().token(token).ifPresent(value -> {
                try {
                    builder.token(value);
                }
                catch (IllegalArgumentException e) {
                    throw new UsageException("the token has spaces or characters outside printable ASCII");
                }
            });
            client = builder.build();
        }
        return client;
    }

    /** Closes the client, if one was built. */
    void close() {
        if (client != null) {
            client.close();
        }
    }

    /** The version, from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = PretzelCommand.class.getPackage().getImplementationVersion();
            return new String[] {"pretzel " + (version == null ? "(development build)" : version)};
        }
    }
}
