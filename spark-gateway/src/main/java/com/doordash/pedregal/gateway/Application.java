package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.DriverConf;
import java.util.List;
import java.util.Map;

/**
 * What a driver runs: a main class from an application jar, its arguments, and files to place in the
 * driver's working directory before it starts.
 *
 * @param mainClass the class whose {@code main} the driver runs
 * @param jar the application jar; empty for the platform's own CoreETL jar of the runtime
 * @param args the program arguments
 * @param files file name → content, written into the run's working directory
 */
public record Application(String mainClass, String jar, List<String> args, Map<String, String> files) {
    /** The CoreETL application's main class. */
    public static final String CORE_ETL_MAIN = "com.doordash.pedregal.coreetl.CoreEtlMain";
    /** Creates the demo table {@code pedregal.raw.events}. */
    public static final String DEMO_DATA_MAIN = "com.doordash.pedregal.coreetl.DemoData";
    /** Runs SQL queries and prints their rows; for inspection and tests. */
    public static final String QUERY_MAIN = "com.doordash.pedregal.coreetl.QueryMain";
    /**
     * Creates and drops the tables of a playground; arguments {@code create-tables --spec-base64 <base64 of a CoreETL
     * spec JSON whose sinks point into the playground namespace>} or {@code drop-namespace --namespace
     * <catalog>.<namespace>}. On success the driver prints one stdout line {@code PLAYGROUND-TOOL RESULT <json>}:
     * <ul>
     *   <li>{@code create-tables}: {@code {"tables":[{"table":"pedregal.pg_x.t","action":"created"|"replaced"|"unchanged",
     *       "schema":[{"name":"c","type":"string","nullable":true}]}]}}, one entry per sink in spec order
     *       ({@code type} is Spark's SQL type name, such as {@code bigint}, {@code decimal(10,2)},
     *       {@code struct<a:int>});</li>
     *   <li>{@code drop-namespace}: {@code {"dropped_tables":["pedregal.pg_x.t"],"namespace_dropped":true}}
     *       ({@code []} and {@code false} when the namespace did not exist).</li>
     * </ul>
     * On failure it prints one stderr line {@code PLAYGROUND-TOOL FAILED: <message>} and exits with code 1. Both
     * commands refuse a namespace whose name does not start with {@code pg_}.
     */
    public static final String PLAYGROUND_TOOL_MAIN = "com.doordash.pedregal.coreetl.PlaygroundTool";
    /** The stdout prefix of the playground tool's result line; the JSON follows it. */
    public static final String PLAYGROUND_TOOL_RESULT_PREFIX = "PLAYGROUND-TOOL RESULT ";
    /**
     * The Spark property that confines a run's writes to a playground namespace, {@code <catalog>.<namespace>} (for
     * example {@code pedregal.pg_data_infra_user_demo}): the driver refuses every write or DDL elsewhere. Set it in
     * {@link LaunchRequest#sparkConf()}; warm drivers take it too.
     */
    public static final String PLAYGROUND_NAMESPACE_CONF = DriverConf.PLAYGROUND_NAMESPACE;

    /**
     * The {@code spark.sql.extensions} of a custom jar's driver: Iceberg's and the CoreETL jar's {@code DriverWall}, which
     * arms itself from the driver's {@code spark.pedregal.*} properties, so the job's SQL and DataFrame writes stay in the
     * team's namespaces (the platform's own drivers install the wall in code).
     */
    public static final String CUSTOM_JAR_EXTENSIONS = "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions,"
            + "com.doordash.pedregal.coreetl.DriverWall";

    public Application {
        requireNonNull(mainClass, "mainClass is null");
        jar = jar == null ? "" : jar;
        args = List.copyOf(args);
        files = Map.copyOf(files);
    }

    /** Runs a CoreETL job spec given as JSON. */
    public static Application coreEtl(String specJson) {
        return new Application(CORE_ETL_MAIN, "", List.of("--spec", "spec.json"), Map.of("spec.json", specJson));
    }

    /** Runs a main class of the platform's CoreETL jar with the given arguments. */
    public static Application platformTool(String mainClass, List<String> args) {
        return new Application(mainClass, "", args, Map.of());
    }

    /** Whether this runs the runtime's own CoreETL jar. */
    public boolean usesPlatformJar() {
        return jar.isEmpty();
    }
}
