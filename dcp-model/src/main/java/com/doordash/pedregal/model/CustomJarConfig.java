package com.doordash.pedregal.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A job that runs a Spark application jar of its own instead of a CoreETL spec.
 *
 * @param jarPath where the jar is: a path on the machine that runs the driver, or an {@code http(s)://} URL
 * @param mainClass the application's main class
 * @param args the program arguments
 */
public record CustomJarConfig(
        @JsonProperty("jar_path") String jarPath,
        @JsonProperty("main_class") String mainClass,
        List<String> args) {
    public CustomJarConfig {
        args = args == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args));
    }
}
