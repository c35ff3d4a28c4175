package com.doordash.pedregal.pretzel;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.util.Map;

/**
 * Where a command prints and what it knows of its environment: standard output and error, the environment variables,
 * and whether standard output is a terminal (progress then rewrites one line).
 */
record Terminal(PrintStream out, PrintStream err, Map<String, String> env, boolean tty) {
    Terminal {
        requireNonNull(out, "out is null");
        requireNonNull(err, "err is null");
        env = Map.copyOf(env);
    }
}
