package com.doordash.pedregal.pretzel;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code pretzel}, the command line of the DCP Spark platform: playgrounds, manifests and jobs over the REST API.
 *
 * <p>{@link #run(String[], PrintStream, PrintStream, Map)} runs one command in this JVM and returns its exit code
 * (see {@code pretzel --help}); {@link #main(String[])} runs it on the process's terminal and exits with it.
 */
public final class Pretzel {
    private Pretzel() {
    }

    /** Runs the command {@code args} on this process's terminal and environment, and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args, new Terminal(System.out, System.err, System.getenv(), System.console() != null)));
    }

    /**
     * Runs the command {@code args}, printing to {@code out} and {@code err}, with {@code env} as its environment
     * variables ({@code PRETZEL_SERVER}, {@code PRETZEL_TOKEN}, {@code PRETZEL_CONFIG}, {@code HOME}, …), and
     * returns its exit code: 0 ok, 1 the job or test failed, 2 usage error, 3 refused by the server (4xx), 4
     * server unreachable or failed (5xx). Progress is printed as lines, as for a pipe.
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, new Terminal(out, err, env, false));
    }

    static int run(String[] args, Terminal terminal) {
        PretzelCommand root = new PretzelCommand(terminal);
        CommandLine cli = new CommandLine(root);
        cli.setOut(new PrintWriter(terminal.out(), true));
        cli.setErr(new PrintWriter(terminal.err(), true));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        describeExitCodes(cli);
        cli.setParameterExceptionHandler((e, arguments) -> {
            terminal.err().println(Errors.PREFIX + e.getMessage() + " (see '"
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) ->
                Errors.report(e, terminal, root.output == Output.json));
        try {
            return cli.execute(args);
        }
        finally {
            root.close();
            terminal.out().flush();
            terminal.err().flush();
        }
    }

    private static void describeExitCodes(CommandLine cli) {
        cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.helpList());
        for (CommandLine sub : cli.getSubcommands().values()) {
            describeExitCodes(sub);
        }
    }
}
