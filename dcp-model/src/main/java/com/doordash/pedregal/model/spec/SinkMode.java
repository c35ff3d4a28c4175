package com.doordash.pedregal.model.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a sink writes into its table. */
public enum SinkMode {
    /** Adds the result's rows to the table. */
    APPEND,
    /** Replaces the table's rows with the result's rows. */
    OVERWRITE;

    /** The lower-case name used in job specs. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a mode, ignoring case; an unknown name fails and lists the valid ones. */
    @JsonCreator
    public static SinkMode fromWire(String value) {
        for (SinkMode mode : values()) {
            if (mode.name().equalsIgnoreCase(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("\"" + value + "\" is not a sink mode (expected one of: "
                + Arrays.stream(values()).map(SinkMode::wireName).collect(Collectors.joining(", ")) + ")");
    }
}
