package com.doordash.pedregal.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Whether a job runs to an end ({@code BATCH}) or until cancelled ({@code STREAMING}). */
public enum JobType {
    /** Runs once to completion. */
    BATCH,
    /** Runs until cancelled. */
    STREAMING;

    /** Reads a job type, ignoring case ({@code batch} as in manifests, {@code BATCH} as in the REST API). */
    @JsonCreator
    public static JobType fromWire(String value) {
        for (JobType type : values()) {
            if (type.name().equalsIgnoreCase(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("\"" + value + "\" is not a job type (expected one of: "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")) + ")");
    }
}
