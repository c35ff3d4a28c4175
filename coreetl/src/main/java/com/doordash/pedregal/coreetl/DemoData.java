package com.doordash.pedregal.coreetl;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Creates the demo table {@code pedregal.raw.events} (partitioned by {@code event_date}) with 10,000
 * deterministic rows, unless it exists:
 *
 * <pre>
 * event_id   BIGINT         1 .. 10000
 * event_type STRING         {@link #eventType(long)}: order 30%, click 25%, view 25%, signup 10%, refund 10%
 * user_id    BIGINT         1 + (event_id * 7919) % 1000
 * amount     DECIMAL(10,2)  ((event_id * 9973) % 100000) / 100
 * event_time TIMESTAMP      2024-01-01T00:00:00Z + (event_id * 2677) % (31 days) seconds
 * event_date DATE           the UTC date of event_time
 * </pre>
 *
 * Prints {@code DemoData: created pedregal.raw.events with 10000 rows} or
 * {@code DemoData: pedregal.raw.events already exists}; on failure {@code DemoData FAILED: <message>} on stderr
 * and exit code 1.
 */
public final class DemoData {
    /** The demo table. */
    public static final String TABLE = "pedregal.raw.events";
    /** Its row count. */
    public static final int ROWS = 10_000;
    /** 2024-01-01T00:00:00Z. */
    static final long START_EPOCH_SECONDS = 1_704_067_200L;
    static final long SPAN_SECONDS = 31L * 86_400;

    private DemoData() {
    }

    public static void main(String[] args) {
        SparkSession.Builder builder = SparkSession.builder();
        if (!new SparkConf().contains("spark.sql.session.timeZone")) {
            builder.config("spark.sql.session.timeZone", "UTC");
        }
        SparkSession spark = null;
        int code = 0;
        try {
            spark = builder.getOrCreate();
            if (create(spark)) {
                System.out.println("DemoData: created " + TABLE + " with " + ROWS + " rows");
            }
            else {
                System.out.println("DemoData: " + TABLE + " already exists");
            }
        }
        catch (Throwable e) {
            System.err.println("DemoData FAILED: " + Messages.describe(e));
            code = 1;
        }
        finally {
            if (spark != null) {
                try {
                    spark.stop();
                }
                catch (RuntimeException e) {
                    // the outcome is already printed
                }
            }
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Creates {@code pedregal.raw.events} and its namespace when missing; returns whether it created the table. */
    public static boolean create(SparkSession spark) {
        spark.sql("CREATE NAMESPACE IF NOT EXISTS pedregal.raw");
        if (spark.catalog().tableExists(TABLE)) {
            return false;
        }
        try {
            rows(spark).writeTo(TABLE).partitionedBy(functions.col("event_date")).using("iceberg").create();
        }
        catch (Exception e) {
            throw new CoreEtlException("creating " + TABLE, e);
        }
        return true;
    }

    /** The demo rows; they do not depend on the session's time zone. */
    public static Dataset<Row> rows(SparkSession spark) {
        String seconds = "((id * 2677) % " + SPAN_SECONDS + ")";
        return spark.range(1, ROWS + 1).selectExpr(
                "id AS event_id",
                "CASE WHEN (id * 37) % 100 < 30 THEN 'order'"
                        + " WHEN (id * 37) % 100 < 55 THEN 'click'"
                        + " WHEN (id * 37) % 100 < 80 THEN 'view'"
                        + " WHEN (id * 37) % 100 < 90 THEN 'signup'"
                        + " ELSE 'refund' END AS event_type",
                "1 + (id * 7919) % 1000 AS user_id",
                "CAST(CAST((id * 9973) % 100000 AS DECIMAL(12, 0)) / 100 AS DECIMAL(10, 2)) AS amount",
                "timestamp_seconds(" + START_EPOCH_SECONDS + " + " + seconds + ") AS event_time",
                "date_add(DATE'2024-01-01', CAST(" + seconds + " DIV 86400 AS INT)) AS event_date");
    }

    /** The event type of row {@code eventId}, as the table holds it. */
    public static String eventType(long eventId) {
        long bucket = (eventId * 37) % 100;
        if (bucket < 30) {
            return "order";
        }
        if (bucket < 55) {
            return "click";
        }
        if (bucket < 80) {
            return "view";
        }
        return bucket < 90 ? "signup" : "refund";
    }
}
