package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * What a driver runs: a main class from an application jar, its arguments, and files to place in the
 * driver's working directory before it starts.
 *
 * @param mainClass the class whose {@code main} the driver runs
 * @param jar the application jar; empty for the platform's own CoreETL jar of the runtime
 * @param args the program arguments
 * @param files file name → content, written into the run's working directory
 */
public record Application(String mainClass, String jar, List<String> args, Map<String, String> files) {
    /** The CoreETL application's main class. */
    public static final String CORE_ETL_MAIN = "com.doordash.pedregal.coreetl.CoreEtlMain";
    /** Creates the demo table {@code pedregal.raw.events}. */
    public static final String DEMO_DATA_MAIN = "com.doordash.pedregal.coreetl.DemoData";
    /** Runs SQL queries and prints their rows; for inspection and tests. */
    public static final String QUERY_MAIN = "com.doordash.pedregal.coreetl.QueryMain";

    public Application {
        requireNonNull(mainClass, "mainClass is null");
        jar = jar == null ? "" : jar;
        args = List.copyOf(args);
        files = Map.copyOf(files);
    }

    /** Runs a CoreETL job spec given as JSON. */
    public static Application coreEtl(String specJson) {
        return new Application(CORE_ETL_MAIN, "", List.of("--spec", "spec.json"), Map.of("spec.json", specJson));
    }

    /** Runs a main class of the platform's CoreETL jar with the given arguments. */
    public static Application platformTool(String mainClass, List<String> args) {
        return new Application(mainClass, "", args, Map.of());
    }

    /** Whether this runs the runtime's own CoreETL jar. */
    public boolean usesPlatformJar() {
        return jar.isEmpty();
    }
}
