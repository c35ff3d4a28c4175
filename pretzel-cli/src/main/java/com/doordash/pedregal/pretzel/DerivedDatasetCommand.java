package com.doordash.pedregal.pretzel;

import com.doordash.pedregal.client.ManifestCommand;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code pretzel derived-dataset plan|apply|test|run|delete FILE}: the manifest commands for a DerivedDataset. */
@Command(name = "derived-dataset", aliases = "dd", mixinStandardHelpOptions = true,
        description = {"DerivedDataset manifests in a playground: plan, apply, test, run, delete.",
            "All but 'test' act in the current playground (or --playground)."},
        subcommands = {DerivedDatasetCommand.Plan.class, DerivedDatasetCommand.Apply.class,
            DerivedDatasetCommand.Test.class, DerivedDatasetCommand.Run.class, DerivedDatasetCommand.Delete.class},
        footer = {"", "Example:", "  pretzel derived-dataset apply B.yaml", "  pretzel derived-dataset run B.yaml"})
final class DerivedDatasetCommand extends BaseCommand {
    static final String KIND = "DerivedDataset";
    private static final String FILE_DESCRIPTION = "The DerivedDataset manifest, YAML or JSON.";

    @Override
    public Integer call() {
        spec.commandLine().usage(terminal().err());
        return ExitCodes.USAGE;
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Shows what 'apply' would change in the playground, changing nothing.",
            footer = {"", "Example:", "  pretzel derived-dataset plan B.yaml"})
    static final class Plan extends ManifestCommands.Action {
        @Parameters(paramLabel = "FILE", description = FILE_DESCRIPTION)
        Path file;

        @Override
        ManifestCommand command() {
            return ManifestCommand.PLAN;
        }

        @Override
        Path file() {
            return file;
        }

        @Override
        String kind() {
            return KIND;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Creates or updates the dataset's table in the playground.",
            footer = {"", "Example:", "  pretzel derived-dataset apply B.yaml"})
    static final class Apply extends ManifestCommands.Action {
        @Parameters(paramLabel = "FILE", description = FILE_DESCRIPTION)
        Path file;

        @Override
        ManifestCommand command() {
            return ManifestCommand.APPLY;
        }

        @Override
        Path file() {
            return file;
        }

        @Override
        String kind() {
            return KIND;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Validates the dataset's spec on the read-only test cluster in seconds and prints the report. "
                + "Writes nothing.", "Exits 1 when the test FAILED."},
            footer = {"", "Example:", "  pretzel derived-dataset test B.yaml --preview-limit 5"})
    static final class Test extends ManifestCommands.TestAction {
        @Parameters(paramLabel = "FILE", description = FILE_DESCRIPTION)
        Path file;

        @Override
        Path file() {
            return file;
        }

        @Override
        String kind() {
            return KIND;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Runs the dataset's job in the playground, showing its progress, then the table written and "
                + "its row count.", "Exits 1 unless the job SUCCEEDED."},
            footer = {"", "Example:", "  pretzel derived-dataset run B.yaml"})
    static final class Run extends ManifestCommands.RunAction {
        @Parameters(paramLabel = "FILE", description = FILE_DESCRIPTION)
        Path file;

        @Override
        Path file() {
            return file;
        }

        @Override
        String kind() {
            return KIND;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Removes the dataset from the playground and drops its table there.",
            footer = {"", "Example:", "  pretzel derived-dataset delete B.yaml"})
    static final class Delete extends ManifestCommands.Action {
        @Parameters(paramLabel = "FILE", description = FILE_DESCRIPTION)
        Path file;

        @Override
        ManifestCommand command() {
            return ManifestCommand.DELETE;
        }

        @Override
        Path file() {
            return file;
        }

        @Override
        String kind() {
            return KIND;
        }
    }
}
