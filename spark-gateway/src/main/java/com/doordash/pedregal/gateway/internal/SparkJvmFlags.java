package com.doordash.pedregal.gateway.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The JVM flags every Spark JVM needs on JDK 17: the launcher's {@code --add-opens} list. */
public final class SparkJvmFlags {
    private static final String RESOURCE = "/com/doordash/pedregal/gateway/spark-jdk17-flags.txt";

    private SparkJvmFlags() {
    }

    /** The flags, one per element, in the order of {@code spark-jdk17-flags.txt}. */
    public static List<String> flags() {
        try (InputStream in = SparkJvmFlags.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("spark-jdk17-flags.txt is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
