package com.doordash.pedregal.model.driver;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * How a CoreETL spec reaches a driver, the same on every backend: the program arguments
 * {@code --spec-base64 <base64 of the spec's JSON>}. Arguments travel everywhere a driver can start (a child JVM, a
 * warm driver's assignment, a standalone cluster's submission, a container's command), so no backend needs a file
 * system it shares with the platform.
 */
public final class DriverSpec {
    /** The option naming the spec inline. */
    public static final String OPTION = "--spec-base64";

    private DriverSpec() {
    }

    /** The arguments carrying {@code specJson}. */
    public static List<String> arguments(String specJson) {
        requireNonNull(specJson, "specJson is null");
        return List.of(OPTION, Base64.getEncoder().encodeToString(specJson.getBytes(StandardCharsets.UTF_8)));
    }

    /** The JSON of an inline spec argument's value. */
    public static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.UTF_8);
    }
}
