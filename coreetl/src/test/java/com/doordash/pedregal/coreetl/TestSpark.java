package com.doordash.pedregal.coreetl;

import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.model.spec.CoreEtlSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The one local Spark session (with a hadoop Iceberg catalog {@code pedregal}) every test of this JVM shares. */
public final class TestSpark {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static SparkSession session;
    private static Path warehouse;

    private TestSpark() {
    }

    public static synchronized SparkSession session() {
        if (session == null) {
            try {
                warehouse = Files.createTempDirectory("coreetl-warehouse");
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("coreetl-tests")
                    .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
                    .config("spark.sql.catalog.pedregal", "org.apache.iceberg.spark.SparkCatalog")
                    .config("spark.sql.catalog.pedregal.type", "hadoop")
                    .config("spark.sql.catalog.pedregal.warehouse", warehouse.toUri().toString())
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.default.parallelism", "2")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.session.timeZone", "UTC")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(TestSpark::stop));
        }
        return session;
    }

    /** The session, with the demo table {@code pedregal.raw.events} created. */
    public static SparkSession withDemoData() {
        SparkSession spark = session();
        synchronized (TestSpark.class) {
            DemoData.create(spark);
        }
        return spark;
    }

    /** A table name no other test uses, such as {@code orders_7}. */
    public static String uniqueName(String prefix) {
        return prefix + "_" + NAMES.incrementAndGet();
    }

    /** Parses a spec like the platform does. */
    static CoreEtlSpec spec(String json) {
        return Json.read(json, CoreEtlSpec.class);
    }

    public static List<Row> sql(String query) {
        return session().sql(query).collectAsList();
    }

    public static long count(String table) {
        return session().table(table).count();
    }

    /** The table's Iceberg partition spec, such as {@code [identity(event_type), day(event_time), bucket[4](user_id)]}. */
    static List<String> partitioning(String table) {
        Table iceberg;
        try {
            iceberg = Spark3Util.loadIcebergTable(session(), table);
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return iceberg.spec().fields().stream()
                .map(field -> field.transform() + "(" + iceberg.schema().findColumnName(field.sourceId()) + ")")
                .collect(Collectors.toList());
    }

    private static synchronized void stop() {
        if (session != null) {
            session.stop();
            session = null;
        }
        if (warehouse != null) {
            try (Stream<Path> files = Files.walk(warehouse)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
            catch (IOException | UncheckedIOException e) {
                // a temp dir left behind
            }
        }
    }
}
