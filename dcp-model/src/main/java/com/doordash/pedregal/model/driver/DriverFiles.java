package com.doordash.pedregal.model.driver;

/** The files a driver and the gateway share in a run's folder, by name. */
public final class DriverFiles {
    /** The driver's {@link DriverEvent}s, one JSON object a line, appended by the driver. */
    public static final String EVENTS = "events.jsonl";
    /** A warm driver's job, written by the gateway into the driver's working directory ({@link Assignment}). */
    public static final String ASSIGNMENT = "assignment.json";
    /** Written by a warm driver into its working directory once it is warmed up. */
    public static final String READY = "ready";

    private DriverFiles() {
    }
}
