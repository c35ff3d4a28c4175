package com.doordash.pedregal.model.driver;

/**
 * The Spark properties the platform sets on every driver it starts ({@code spark.pedregal.*}), defined once for the
 * gateway and runner that set them and for the CoreETL application that reads them. A job can never set one itself.
 */
public final class DriverConf {
    /** The prefix of the platform's own properties. */
    public static final String PREFIX = "spark.pedregal.";
    /** The file the driver appends its events to (RUNNING, PROGRESS, FAILED). */
    public static final String EVENTS_FILE = PREFIX + "events.file";
    /** The platform's id of the execution. */
    public static final String EXECUTION_ID = PREFIX + "execution.id";
    /** The job's team. */
    public static final String TEAM = PREFIX + "team";
    /** A playground run's namespace, {@code <catalog>.<namespace>}: the run writes only there. */
    public static final String PLAYGROUND_NAMESPACE = PREFIX + "playground.namespace";
    /**
     * The namespaces a run outside playgrounds may write, {@code <catalog>.<namespace pattern>} comma-separated ({@code *}
     * for any text); empty for none.
     */
    public static final String WRITE_NAMESPACES = PREFIX + "write-namespaces";
    /** {@code true} when the run's SQL may reach the JVM ({@code reflect}, functions from classes, scripts). */
    public static final String CUSTOM_CODE = PREFIX + "custom-code";

    private DriverConf() {
    }
}
