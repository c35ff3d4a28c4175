package com.doordash.pedregal.coreetl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

final class DemoDataTest {
    private static SparkSession spark;

    @BeforeAll
    static void demoData() {
        spark = TestSpark.withDemoData();
    }

    @Test
    void tableHoldsTenThousandRowsWithTheComputedEventTypes() {
        Map<String, Long> expected = LongStream.rangeClosed(1, DemoData.ROWS).mapToObj(DemoData::eventType)
                .collect(Collectors.groupingBy(type -> type, TreeMap::new, Collectors.counting()));

        Map<String, Long> actual = TestSpark.sql("SELECT event_type, COUNT(*) FROM pedregal.raw.events GROUP BY event_type").stream()
                .collect(Collectors.toMap(row -> row.getString(0), row -> row.getLong(1), (a, b) -> a, TreeMap::new));

        assertThat(actual).isEqualTo(expected)
                .containsExactly(Map.entry("click", 2500L), Map.entry("order", 3000L), Map.entry("refund", 1000L),
                        Map.entry("signup", 1000L), Map.entry("view", 2500L));
        Row ids = TestSpark.sql("SELECT MIN(event_id), MAX(event_id), COUNT(DISTINCT event_id) FROM pedregal.raw.events").get(0);
        assertThat(List.of(ids.getLong(0), ids.getLong(1), ids.getLong(2))).containsExactly(1L, 10_000L, 10_000L);
    }

    @Test
    void schemaAndPartitioningAreAsDocumented() {
        assertThat(spark.table("pedregal.raw.events").schema().toDDL()).isEqualTo(
                "event_id BIGINT,event_type STRING,user_id BIGINT,amount DECIMAL(10,2),event_time TIMESTAMP,event_date DATE");
        assertThat(TestSpark.partitioning("pedregal.raw.events")).containsExactly("identity(event_date)");
    }

    @Test
    void timesSpreadOverJanuary2024AndDatesAreTheirUtcDates() {
        Row range = TestSpark.sql("SELECT CAST(MIN(event_time) AS STRING), CAST(MAX(event_time) AS STRING),"
                + " COUNT(DISTINCT event_date), COUNT_IF(event_date <> to_date(event_time)),"
                + " MIN(user_id), MAX(user_id), MIN(amount) >= 0, MAX(amount) < 1000 FROM pedregal.raw.events").get(0);

        assertThat(range.getString(0)).startsWith("2024-01-01");
        assertThat(range.getString(1)).startsWith("2024-01-31");
        assertThat(range.getLong(2)).isEqualTo(31);
        assertThat(range.getLong(3)).isZero();
        assertThat(range.getLong(4)).isGreaterThanOrEqualTo(1);
        assertThat(range.getLong(5)).isLessThanOrEqualTo(1000);
        assertThat(range.getBoolean(6)).isTrue();
        assertThat(range.getBoolean(7)).isTrue();
    }

    @Test
    void rowsAreTheSameEveryTimeAndInEveryTimeZone() {
        Dataset<Row> table = spark.table("pedregal.raw.events");
        String zone = spark.conf().get("spark.sql.session.timeZone");
        Dataset<Row> again;
        try {
            spark.conf().set("spark.sql.session.timeZone", "America/Los_Angeles");
            again = DemoData.rows(spark).localCheckpoint();
        }
        finally {
            spark.conf().set("spark.sql.session.timeZone", zone);
        }

        assertThat(again.count()).isEqualTo(DemoData.ROWS);
        assertThat(table.exceptAll(again).count()).isZero();
        assertThat(again.exceptAll(table).count()).isZero();
        Row first = TestSpark.sql("SELECT event_type, user_id, CAST(amount AS STRING), CAST(event_time AS STRING),"
                + " CAST(event_date AS STRING) FROM pedregal.raw.events WHERE event_id = 1").get(0);
        assertThat(List.of(first.getString(0), first.getLong(1), first.getString(2), first.getString(3), first.getString(4)))
                .containsExactly("click", 920L, "99.73", "2024-01-01 00:44:37", "2024-01-01");
    }

    @Test
    void creatingAgainLeavesTheTableAlone() {
        long snapshots = spark.table("pedregal.raw.events.snapshots").count();

        assertThat(DemoData.create(spark)).isFalse();

        assertThat(spark.table("pedregal.raw.events.snapshots").count()).isEqualTo(snapshots);
        assertThat(TestSpark.count("pedregal.raw.events")).isEqualTo(DemoData.ROWS);
    }
}
