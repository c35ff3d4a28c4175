package com.doordash.pedregal.model.driver;

import java.util.LinkedHashMap;
import java.util.Map;

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

    /**
     * The settings the platform gives a driver beside the job's own, the same on every backend: its execution and
     * team; with {@code eventsFile}, the events listener (after {@code jobListeners}, the job's own
     * {@code spark.extraListeners}, if any) writing there; for a custom jar, the {@link DriverClasses#DRIVER_WALL} as
     * session extension. They win over the job's settings of the same keys.
     */
    public static Map<String, String> forDriver(String executionId, String team, String eventsFile, boolean customJar,
            String jobListeners) {
        Map<String, String> conf = new LinkedHashMap<>();
        if (eventsFile != null) {
            conf.put("spark.extraListeners", jobListeners == null || jobListeners.isBlank() ? DriverClasses.EVENTS_LISTENER
                    : DriverClasses.EVENTS_LISTENER + "," + jobListeners);
            conf.put(EVENTS_FILE, eventsFile);
        }
        conf.put(EXECUTION_ID, executionId);
        conf.put(TEAM, team);
        if (customJar) {
            conf.put("spark.sql.extensions", DriverClasses.CUSTOM_JAR_EXTENSIONS);
        }
        return conf;
    }
}
