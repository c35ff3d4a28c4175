package com.doordash.pedregal.coreetl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

final class CoreEtlJobTest {
    private static final String EVENTS = """
            {"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}""";
    private static final String ORDERS_QUERY = """
            {"type": "sql", "query": "SELECT * FROM source WHERE event_type = 'order'"}""";

    private static SparkSession spark;

    @BeforeAll
    static void demoData() {
        spark = TestSpark.withDemoData();
    }

    @Test
    void seedExampleWritesExactlyTheOrderRows() {
        String table = TestSpark.uniqueName("orders");

        JobResult result = run(spec(EVENTS, ORDERS_QUERY, sink(table, "append")));

        assertThat(result.sinks()).containsExactly(new JobResult.SinkResult("pedregal.derived." + table, 3000));
        assertThat(result.summary()).isEqualTo("wrote 3000 rows to pedregal.derived." + table);
        assertThat(ids("SELECT event_id FROM pedregal.derived." + table))
                .isEqualTo(ids("SELECT event_id FROM pedregal.raw.events WHERE event_type = 'order'"));
        assertThat(spark.table("pedregal.derived." + table).columns())
                .containsExactly("event_id", "event_type", "user_id", "amount", "event_time", "event_date");
    }

    @Test
    void sourceFilterIsAppliedWhileReading() {
        String table = TestSpark.uniqueName("first_week");
        String source = """
                {"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events",
                 "filter": "event_date < DATE'2024-01-08' AND event_type <> 'view'"}""";

        JobResult result = run(spec(source, "", sink(table, null)));

        long expected = spark.sql("SELECT * FROM pedregal.raw.events WHERE event_date < DATE'2024-01-08' AND event_type <> 'view'")
                .count();
        assertThat(expected).isBetween(1000L, 3000L);
        assertThat(result.totalRowsWritten()).isEqualTo(expected);
        assertThat(ids("SELECT event_id FROM pedregal.derived." + table)).isEqualTo(
                ids("SELECT event_id FROM pedregal.raw.events WHERE event_date < DATE'2024-01-08' AND event_type <> 'view'"));
    }

    @Test
    void severalSourcesAreVisibleUnderTheirTableNames() {
        String users = TestSpark.uniqueName("users");
        spark.sql("CREATE TABLE pedregal.raw." + users + " USING iceberg AS "
                + "SELECT id AS user_id, IF(id % 2 = 0, 'gold', 'basic') AS tier FROM range(1, 1001)");
        String table = TestSpark.uniqueName("gold_refunds");
        String sources = EVENTS + ", " + """
                {"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "%s"}""".formatted(users);
        String join = """
                {"type": "sql", "query": "SELECT e.event_id, e.amount, u.tier FROM events e JOIN %s u ON e.user_id = u.user_id WHERE e.event_type = 'refund' AND u.tier = 'gold'"}"""
                .formatted(users);

        JobResult result = run(spec(sources, join, sink(table, "append")));

        List<Long> expected = ids("SELECT event_id FROM pedregal.raw.events WHERE event_type = 'refund' AND user_id % 2 = 0");
        assertThat(expected).isNotEmpty();
        assertThat(result.totalRowsWritten()).isEqualTo(expected.size());
        assertThat(ids("SELECT event_id FROM pedregal.derived." + table)).isEqualTo(expected);
        assertThat(TestSpark.sql("SELECT DISTINCT tier FROM pedregal.derived." + table))
                .extracting(row -> row.getString(0)).containsExactly("gold");
    }

    @Test
    void severalSourcesDoNotDefineTheSourceView() {
        run(spec(EVENTS, ORDERS_QUERY, sink(TestSpark.uniqueName("single_source"), null))); // defines "source"
        String sources = EVENTS + ", " + """
                {"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "%s"}"""
                .formatted(TestSpark.uniqueName("missing"));
        String both = """
                {"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"},                 {"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events_copy"}""";
        spark.sql("CREATE TABLE IF NOT EXISTS pedregal.raw.events_copy USING iceberg AS SELECT * FROM pedregal.raw.events LIMIT 10");

        assertThatThrownBy(() -> run(spec(sources, ORDERS_QUERY, sink(TestSpark.uniqueName("never"), null))))
                .hasMessageStartingWith("sources[1] (pedregal.derived.missing_");
        assertThatThrownBy(() -> run(spec(both, ORDERS_QUERY, sink(TestSpark.uniqueName("never"), null))))
                .isInstanceOf(CoreEtlException.class)
                .hasMessageStartingWith("transformations[0]: [TABLE_OR_VIEW_NOT_FOUND] The table or view `source` cannot be found.");
    }

    @Test
    void namedTransformationIsVisibleToLaterTransformations() {
        String table = TestSpark.uniqueName("order_totals");
        String transformations = """
                {"type": "sql", "name": "orders", "query": "SELECT user_id, amount FROM source WHERE event_type = 'order'"},
                {"type": "sql", "query": "SELECT user_id, COUNT(*) AS orders, SUM(amount) AS total FROM orders GROUP BY user_id"}""";

        JobResult result = run(spec(EVENTS, transformations, sink(table, "append")));

        long users = spark.sql("SELECT DISTINCT user_id FROM pedregal.raw.events WHERE event_type = 'order'").count();
        assertThat(result.totalRowsWritten()).isEqualTo(users);
        assertThat(TestSpark.sql("SELECT SUM(orders) FROM pedregal.derived." + table).get(0).getLong(0)).isEqualTo(3000L);
    }

    @Test
    void appendingTwiceDoublesTheRows() {
        String table = TestSpark.uniqueName("appended");
        String spec = spec(EVENTS, ORDERS_QUERY, sink(table, "append"));

        JobResult first = run(spec);
        JobResult second = run(spec);

        assertThat(first.totalRowsWritten()).isEqualTo(3000);
        assertThat(second.totalRowsWritten()).isEqualTo(3000);
        assertThat(TestSpark.count("pedregal.derived." + table)).isEqualTo(6000);
    }

    @Test
    void overwriteReplacesEveryRow() {
        String table = TestSpark.uniqueName("replaced");
        run(spec(EVENTS, ORDERS_QUERY, sink(table, "append")));
        String signups = """
                {"type": "sql", "query": "SELECT * FROM source WHERE event_type = 'signup'"}""";

        JobResult result = run(spec(EVENTS, signups, sink(table, "overwrite")));

        assertThat(result.totalRowsWritten()).isEqualTo(1000);
        assertThat(TestSpark.sql("SELECT event_type, COUNT(*) FROM pedregal.derived." + table + " GROUP BY event_type"))
                .extracting(row -> row.getString(0) + "=" + row.getLong(1)).containsExactly("signup=1000");
    }

    @Test
    void overwriteCreatesAMissingTable() {
        String table = TestSpark.uniqueName("created_by_overwrite");

        JobResult result = run(spec(EVENTS, ORDERS_QUERY, sink(table, "overwrite")));

        assertThat(result.totalRowsWritten()).isEqualTo(3000);
        assertThat(TestSpark.count("pedregal.derived." + table)).isEqualTo(3000);
    }

    @Test
    void missingSinkTableIsCreatedWithPartitionBy() {
        String table = TestSpark.uniqueName("partitioned");
        String sink = """
                {"type": "iceberg", "catalog": "pedregal", "database": "marts", "table": "%s",
                 "partition_by": ["event_type", "days(event_time)", "bucket(4, user_id)"]}""".formatted(table);

        String firstDays = """
                {"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events", "filter": "event_date <= DATE'2024-01-03'"}""";

        JobResult result = run(spec(firstDays, ORDERS_QUERY, sink));

        long orders = spark.sql("SELECT * FROM pedregal.raw.events WHERE event_type = 'order' AND event_date <= DATE'2024-01-03'")
                .count();
        assertThat(result.totalRowsWritten()).isEqualTo(orders).isPositive();
        assertThat(TestSpark.partitioning("pedregal.marts." + table)).containsExactly("identity(event_type)", "day(event_time)", "bucket[4](user_id)");
        assertThat(TestSpark.sql("DESCRIBE TABLE pedregal.marts." + table).stream().map(row -> row.getString(0) + " " + row.getString(1)))
                .contains("Part 0 event_type", "Part 1 days(event_time)", "Part 2 bucket(4, user_id)");
        assertThat(spark.table("pedregal.marts." + table + ".partitions").schema().apply("partition").toDDL())
                .contains("event_type", "event_time_day", "user_id_bucket");
        assertThat(TestSpark.sql("SELECT partition.event_time_day, SUM(record_count) FROM pedregal.marts." + table
                + ".partitions GROUP BY 1 ORDER BY 1"))
                .extracting(row -> row.get(0) + "=" + row.getLong(1))
                .containsExactlyElementsOf(TestSpark.sql("SELECT event_date, COUNT(*) FROM pedregal.raw.events"
                        + " WHERE event_type = 'order' AND event_date <= DATE'2024-01-03' GROUP BY 1 ORDER BY 1").stream()
                        .map(row -> row.get(0) + "=" + row.getLong(1)).collect(Collectors.toList()));
    }

    @Test
    void truncateAndMonthsPartitionsAreSupported() {
        String table = TestSpark.uniqueName("truncated");
        String sink = """
                {"type": "iceberg", "catalog": "pedregal", "database": "marts", "table": "%s",
                 "partition_by": ["truncate(2, event_type)", "months(event_time)"]}""".formatted(table);

        JobResult result = run(spec(EVENTS, "", sink));

        assertThat(result.totalRowsWritten()).isEqualTo(10_000);
        assertThat(TestSpark.partitioning("pedregal.marts." + table)).containsExactly("truncate[2](event_type)", "month(event_time)");
        assertThat(TestSpark.sql("SELECT partition.event_type_trunc FROM pedregal.marts." + table + ".partitions"))
                .extracting(row -> row.getString(0))
                .containsExactlyInAnyOrder("or", "cl", "vi", "si", "re");
    }

    @Test
    void everySinkGetsTheResult() {
        String first = TestSpark.uniqueName("first_sink");
        String second = TestSpark.uniqueName("second_sink");

        JobResult result = run(spec(EVENTS, ORDERS_QUERY, sink(first, "append") + ", " + sink(second, "overwrite")));

        assertThat(result.sinks()).containsExactly(
                new JobResult.SinkResult("pedregal.derived." + first, 3000),
                new JobResult.SinkResult("pedregal.derived." + second, 3000));
        assertThat(result.summary()).isEqualTo(
                "wrote 3000 rows to pedregal.derived." + first + ", 3000 rows to pedregal.derived." + second);
    }

    @Test
    void emptyResultWritesZeroRows() {
        String table = TestSpark.uniqueName("empty");
        String nothing = """
                {"type": "sql", "query": "SELECT * FROM source WHERE event_type = 'no such type'"}""";
        String spec = spec(EVENTS, nothing, sink(table, "append"));

        JobResult created = run(spec);
        JobResult appended = run(spec);

        assertThat(created.totalRowsWritten()).isZero();
        assertThat(appended.totalRowsWritten()).isZero();
        assertThat(TestSpark.count("pedregal.derived." + table)).isZero();
    }

    @Test
    void badSqlFailsNamingTheTransformation() {
        String transformations = ORDERS_QUERY + ", " + """
                {"type": "sql", "query": "SELEC event_id FRM source"}""";

        assertThatThrownBy(() -> run(spec(EVENTS, transformations, sink(TestSpark.uniqueName("never"), null))))
                .isInstanceOf(CoreEtlException.class)
                .hasMessageStartingWith("transformations[1]: ")
                .hasMessageContaining("PARSE_SYNTAX_ERROR");
        assertThatThrownBy(() -> run(spec(EVENTS, """
                {"type": "sql", "query": "SELEC event_id FRM source"}""", sink(TestSpark.uniqueName("never"), null))))
                .isInstanceOf(CoreEtlException.class)
                .hasMessageStartingWith("transformations[0]: [PARSE_SYNTAX_ERROR] Syntax error at or near");
    }

    @Test
    void unknownColumnFailsNamingTheTransformation() {
        assertThatThrownBy(() -> run(spec(EVENTS, """
                {"type": "sql", "query": "SELECT no_such_column FROM source"}""", sink(TestSpark.uniqueName("never"), null))))
                .isInstanceOf(CoreEtlException.class)
                .hasMessageStartingWith("transformations[0]: [UNRESOLVED_COLUMN.WITH_SUGGESTION]")
                .hasMessageNotContaining("\n'Project"); // no logical plan
    }

    @Test
    void missingSourceTableFailsNamingTheSource() {
        String source = """
                {"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "nope"}""";

        assertThatThrownBy(() -> run(spec(source, "", sink(TestSpark.uniqueName("never"), null))))
                .isInstanceOf(CoreEtlException.class)
                .hasMessageStartingWith("sources[0] (pedregal.raw.nope): [TABLE_OR_VIEW_NOT_FOUND] The table or view")
                .hasMessageContaining("cannot be found");
    }

    @Test
    void badSourceFilterFailsNamingTheSource() {
        String source = """
                {"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events", "filter": "no_such_column > 1"}""";

        assertThatThrownBy(() -> run(spec(source, "", sink(TestSpark.uniqueName("never"), null))))
                .isInstanceOf(CoreEtlException.class)
                .hasMessageStartingWith("sources[0] (pedregal.raw.events): [UNRESOLVED_COLUMN");
    }

    @Test
    void sinkFailureNamesTheSink() {
        String table = TestSpark.uniqueName("bad_partition");
        String sink = """
                {"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "%s",
                 "partition_by": ["days(no_such_column)"]}""".formatted(table);

        assertThatThrownBy(() -> run(spec(EVENTS, ORDERS_QUERY, sink)))
                .isInstanceOf(CoreEtlException.class)
                .hasMessageStartingWith("sinks[0] (pedregal.derived." + table + "): ");
    }

    @Test
    void appendWithAnotherSchemaFailsNamingTheSink() {
        String table = TestSpark.uniqueName("narrow");
        run(spec(EVENTS, """
                {"type": "sql", "query": "SELECT event_id FROM source"}""", sink(table, null)));

        assertThatThrownBy(() -> run(spec(EVENTS, """
                {"type": "sql", "query": "SELECT event_id, 'x' AS extra FROM source"}""", sink(table, null))))
                .isInstanceOf(CoreEtlException.class)
                .hasMessageStartingWith("sinks[0] (pedregal.derived." + table + "): [");
    }

    private static JobResult run(String specJson) {
        return new CoreEtlJob(spark, TestSpark.spec(specJson)).run();
    }

    private static String spec(String sources, String transformations, String sinks) {
        return "{\"sources\": [" + sources + "], \"transformations\": [" + transformations + "], \"sinks\": [" + sinks + "]}";
    }

    private static String sink(String table, String mode) {
        return "{\"type\": \"iceberg\", \"catalog\": \"pedregal\", \"database\": \"derived\", \"table\": \"" + table + "\""
                + (mode == null ? "" : ", \"mode\": \"" + mode + "\"") + "}";
    }

    private static List<Long> ids(String query) {
        return spark.sql(query).collectAsList().stream().map(row -> row.getLong(0)).sorted().collect(Collectors.toList());
    }
}
