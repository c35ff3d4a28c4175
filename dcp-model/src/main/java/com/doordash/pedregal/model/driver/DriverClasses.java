package com.doordash.pedregal.model.driver;

/**
 * The classes of the platform's CoreETL jar that the gateway names when it starts a JVM, by name: the gateway never
 * loads them. {@code DriverClassesTest} in {@code coreetl} keeps every name equal to its class.
 */
public final class DriverClasses {
    private static final String PACKAGE = "com.doordash.pedregal.coreetl.";

    /** Runs a CoreETL job spec: {@code --spec-base64 <base64 of its JSON>} (see {@link DriverSpec}). */
    public static final String CORE_ETL_MAIN = PACKAGE + "CoreEtlMain";
    /** Creates the demo table {@code pedregal.raw.events}. */
    public static final String DEMO_DATA_MAIN = PACKAGE + "DemoData";
    /** Runs SQL queries and prints their rows; for inspection and tests. */
    public static final String QUERY_MAIN = PACKAGE + "QueryMain";
    /** Creates and drops the tables of a playground; prints {@link DriverOutput#PLAYGROUND_TOOL_RESULT}. */
    public static final String PLAYGROUND_TOOL_MAIN = PACKAGE + "PlaygroundTool";
    /** A pre-started driver waiting for one job ({@link Assignment}) in its working directory. */
    public static final String WARM_DRIVER_MAIN = PACKAGE + "WarmDriverMain";
    /** Runs another main class and halts the JVM when its standard input closes (its parent died). */
    public static final String PARENT_BOUND_MAIN = PACKAGE + "ParentBoundMain";
    /** The Spark listener that writes a driver's {@link DriverEvent}s to {@link DriverConf#EVENTS_FILE}. */
    public static final String EVENTS_LISTENER = PACKAGE + "PlatformEventsListener";
    /** The session extension that confines a driver's writes and reads ({@code spark.pedregal.*} arms it). */
    public static final String DRIVER_WALL = PACKAGE + "DriverWall";
    /** The session extension of the shared test cluster: nothing it runs may write. */
    public static final String READ_ONLY_EXTENSIONS = PACKAGE + "testcluster.ReadOnlyExtensions";

    /**
     * The {@code spark.sql.extensions} of a custom jar's driver: Iceberg's and the {@link #DRIVER_WALL}, which arms
     * itself from the driver's {@code spark.pedregal.*} properties (the platform's own drivers install it in code).
     */
    public static final String CUSTOM_JAR_EXTENSIONS = "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions,"
            + DRIVER_WALL;

    private DriverClasses() {
    }
}
