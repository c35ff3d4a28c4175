package com.doordash.pedregal.pretzel;

import com.doordash.pedregal.client.DCPSparkClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Spec;

/** What every leaf command shares: the terminal, the global options, the configuration and the client. */
abstract class BaseCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    final PretzelCommand root() {
        return (PretzelCommand) spec.root().userObject();
    }

    final PrintStream out() {
        return root().terminal().out();
    }

    final Terminal terminal() {
        return root().terminal();
    }

    final boolean json() {
        return root().output == Output.json;
    }

    final DCPSparkClient client() {
        return root().client();
    }

    final CliConfig config() {
        return root().config();
    }

    /** The playground to act in (flag, environment, current one), when there is one. */
    final Optional<String> playground() {
        return config().playground(root().playground);
    }

    /** The playground to act in; a usage error when there is none. */
    final String requirePlayground() {
        return playground().orElseThrow(() -> new UsageException(
                "no playground: create one with 'pretzel playground create NAME', pick one with 'pretzel playground use NAME',"
                        + " or pass --playground NAME"));
    }

    /** {@code name} when given, else the playground to act in; a usage error when there is none. */
    final String playgroundOr(String name) {
        return name != null ? name : requirePlayground();
    }

    /** Prints one JSON document on one line. */
    final void printJson(JsonNode json) {
        out().println(json.toString());
    }

    /** The text of a file the user named; a usage error when it cannot be read. */
    static String readFile(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new UsageException(file + " is a directory, not a file");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (NoSuchFileException e) {
            throw new UsageException(file + ": no such file");
        }
        catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
