package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.driver.DriverClasses;
import com.doordash.pedregal.model.driver.DriverSpec;
import java.util.List;

/**
 * What a driver runs: a main class from an application jar and its arguments. Everything a driver needs travels in
 * them (a CoreETL spec as {@link DriverSpec#arguments}), so every backend passes them on unchanged.
 *
 * @param mainClass the class whose {@code main} the driver runs
 * @param jar the application jar; empty for the platform's own CoreETL jar of the runtime
 * @param args the program arguments
 */
public record Application(String mainClass, String jar, List<String> args) {
    public Application {
        requireNonNull(mainClass, "mainClass is null");
        jar = jar == null ? "" : jar;
        args = List.copyOf(args);
    }

    /** Runs a CoreETL job spec given as JSON. */
    public static Application coreEtl(String specJson) {
        return new Application(DriverClasses.CORE_ETL_MAIN, "", DriverSpec.arguments(specJson));
    }

    /** Runs a main class of the platform's CoreETL jar with the given arguments ({@link DriverClasses}). */
    public static Application platformTool(String mainClass, List<String> args) {
        return new Application(mainClass, "", args);
    }

    /** Whether this runs the runtime's own CoreETL jar. */
    public boolean usesPlatformJar() {
        return jar.isEmpty();
    }

    /** Whether this runs a CoreETL job spec (rather than a tool of the platform or a custom jar). */
    public boolean isCoreEtlJob() {
        return usesPlatformJar() && DriverClasses.CORE_ETL_MAIN.equals(mainClass);
    }
}
