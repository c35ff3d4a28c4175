package com.doordash.pedregal.pretzel;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One in-process run of {@code pretzel}: its exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {
    static CliRun pretzel(Map<String, String> env, String... args) {
        return run(env, false, args);
    }

    /** As on a terminal: progress rewrites one line. */
    static CliRun onTerminal(Map<String, String> env, String... args) {
        return run(env, true, args);
    }

    private static CliRun run(Map<String, String> env, boolean tty, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exitCode = Pretzel.run(args, new Terminal(outStream, errStream, env, tty));
        }
        return new CliRun(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
    }
}
