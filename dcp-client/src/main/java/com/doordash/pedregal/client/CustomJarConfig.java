package com.doordash.pedregal.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A job that runs a Spark application jar of the team's own instead of a CoreETL spec.
 *
 * <pre>{@code
 * CustomJarConfig.builder()
 *     .jarPath("https://artifacts.example.com/my-app-1.0.jar")
 *     .mainClass("com.example.MyApp")
 *     .args("--date", "2024-01-15")
 *     .build()
 * }</pre>
 */
public final class CustomJarConfig {
    private final String jarPath;
    private final String mainClass;
    private final List<String> args;

    private CustomJarConfig(Builder builder) {
        this.jarPath = builder.jarPath;
        this.mainClass = builder.mainClass;
        this.args = List.copyOf(builder.args);
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where the jar is: a path on the machine that runs the driver, or an {@code http(s)://} URL. */
    public String getJarPath() {
        return jarPath;
    }

    /** The application's main class. */
    public String getMainClass() {
        return mainClass;
    }

    /** The program arguments, in order; empty when none were set. */
    public List<String> getArgs() {
        return args;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CustomJarConfig that
                && jarPath.equals(that.jarPath)
                && mainClass.equals(that.mainClass)
                && args.equals(that.args);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jarPath, mainClass, args);
    }

    @Override
    public String toString() {
        return "CustomJarConfig{jarPath=" + jarPath + ", mainClass=" + mainClass + ", args=" + args + "}";
    }

    /** Builds a {@link CustomJarConfig}; each value is checked as it is set. */
    public static final class Builder {
        private String jarPath;
        private String mainClass;
        private List<String> args = new ArrayList<>();

        private Builder() {
        }

        /** Where the jar is: a path on the machine that runs the driver, or an {@code http(s)://} URL. */
        public Builder jarPath(String jarPath) {
            this.jarPath = Checks.nonBlank("customJar.jarPath", jarPath);
            return this;
        }

        /** The application's main class, such as {@code com.example.MyApp}. */
        public Builder mainClass(String mainClass) {
            this.mainClass = Checks.nonBlank("customJar.mainClass", mainClass);
            return this;
        }

        /** The program arguments, replacing any set before; none may be null. */
        public Builder args(List<String> args) {
            Checks.nonNull("customJar.args", args, "a list of strings");
            List<String> copy = new ArrayList<>(args.size());
            for (int i = 0; i < args.size(); i++) {
                copy.add(Checks.nonNull("customJar.args[" + i + "]", args.get(i), "a string"));
            }
            this.args = copy;
            return this;
        }

        /** The program arguments, replacing any set before; none may be null. */
        public Builder args(String... args) {
            return args(Arrays.asList(Checks.nonNull("customJar.args", args, "an array of strings")));
        }

        /** The custom jar configuration; fails when {@code jarPath} or {@code mainClass} is missing. */
        public CustomJarConfig build() {
            Checks.required("customJar.jarPath", jarPath, Checks.NON_BLANK);
            Checks.required("customJar.mainClass", mainClass, Checks.NON_BLANK);
            return new CustomJarConfig(this);
        }
    }
}
