package com.doordash.pedregal.model.driver;

/** The lines the platform's tools print for the gateway to read from a driver's log. */
public final class DriverOutput {
    /** The playground tool's result: this prefix, then one line of JSON (on standard output). */
    public static final String PLAYGROUND_TOOL_RESULT = "PLAYGROUND-TOOL RESULT ";
    /** The playground tool's failure: this prefix, then the message (on standard error; exit code 1). */
    public static final String PLAYGROUND_TOOL_FAILED = "PLAYGROUND-TOOL FAILED: ";

    private DriverOutput() {
    }
}
