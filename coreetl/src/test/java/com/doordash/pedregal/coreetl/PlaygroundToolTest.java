package com.doordash.pedregal.coreetl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

final class PlaygroundToolTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String COLUMNS = "[{\"name\":\"event_id\",\"type\":\"bigint\",\"nullable\":true},"
            + "{\"name\":\"event_type\",\"type\":\"string\",\"nullable\":true},"
            + "{\"name\":\"amount\",\"type\":\"decimal(10,2)\",\"nullable\":true},"
            + "{\"name\":\"event_date\",\"type\":\"date\",\"nullable\":true}";

    private ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void createsEachSinkTableWithTheJobsSchemaAndPartitioningWithoutRunningTheQuery() throws Exception {
        String namespace = TestSpark.uniqueName("pg_tool");
        String spec = spec(namespace, "SELECT event_id, event_type, amount, event_date FROM source WHERE event_type = 'order'");

        assertThat(run("create-tables", "--spec-base64", base64(spec))).as(stderr()).isZero();

        JsonNode result = result();
        assertThat(result.toString()).isEqualTo("{\"tables\":["
                + "{\"table\":\"pedregal." + namespace + ".daily\",\"action\":\"created\",\"schema\":" + COLUMNS + "]},"
                + "{\"table\":\"pedregal." + namespace + ".bucketed\",\"action\":\"created\",\"schema\":" + COLUMNS + "]}]}");
        assertThat(TestSpark.partitioning("pedregal." + namespace + ".daily")).containsExactly("identity(event_date)");
        assertThat(TestSpark.partitioning("pedregal." + namespace + ".bucketed")).containsExactly("bucket[4](event_id)", "day(event_date)");
        assertThat(TestSpark.count("pedregal." + namespace + ".daily")).isZero();
        assertThat(TestSpark.session().table("pedregal." + namespace + ".daily").schema().fieldNames())
                .containsExactly("event_id", "event_type", "amount", "event_date");
    }

    @Test
    void sameSchemaLeavesTheTablesAndADifferentOneReplacesThem() throws Exception {
        String namespace = TestSpark.uniqueName("pg_tool");
        String spec = spec(namespace, "SELECT event_id, event_type, amount, event_date FROM source");
        assertThat(run("create-tables", "--spec-base64", base64(spec))).as(stderr()).isZero();
        SparkSession spark = TestSpark.session();
        spark.sql("INSERT INTO pedregal." + namespace + ".daily VALUES (1, 'order', 1.50, DATE'2024-01-01')");

        reset();
        assertThat(run("create-tables", "--spec-base64=" + base64(spec))).as(stderr()).isZero();
        assertThat(result().path("tables").findValuesAsText("action")).containsExactly("unchanged", "unchanged");
        assertThat(TestSpark.count("pedregal." + namespace + ".daily")).isEqualTo(1);

        reset();
        String changed = spec(namespace, "SELECT event_id, upper(event_type) AS kind, event_date FROM source");
        assertThat(run("create-tables", "--spec-base64", base64(changed))).as(stderr()).isZero();
        JsonNode result = result();
        assertThat(result.path("tables").findValuesAsText("action")).containsExactly("replaced", "replaced");
        assertThat(result.path("tables").get(0).path("schema").toString()).isEqualTo(
                "[{\"name\":\"event_id\",\"type\":\"bigint\",\"nullable\":true},{\"name\":\"kind\",\"type\":\"string\",\"nullable\":true},"
                        + "{\"name\":\"event_date\",\"type\":\"date\",\"nullable\":true}]");
        assertThat(TestSpark.count("pedregal." + namespace + ".daily")).isZero();
        assertThat(spark.table("pedregal." + namespace + ".daily").schema().fieldNames()).containsExactly("event_id", "kind", "event_date");
    }

    @Test
    void dropNamespaceDropsEveryTableAndTheNamespace() throws Exception {
        String namespace = TestSpark.uniqueName("pg_tool");
        assertThat(run("create-tables", "--spec-base64", base64(spec(namespace, "SELECT * FROM source")))).as(stderr()).isZero();

        reset();
        assertThat(run("drop-namespace", "--namespace", "pedregal." + namespace)).as(stderr()).isZero();
        assertThat(result().toString()).isEqualTo("{\"dropped_tables\":[\"pedregal." + namespace + ".bucketed\",\"pedregal."
                + namespace + ".daily\"],\"namespace_dropped\":true}");
        assertThat(TestSpark.sql("SHOW NAMESPACES IN pedregal").stream().map(row -> row.getString(0))).doesNotContain(namespace);

        reset();
        assertThat(run("drop-namespace", "--namespace=pedregal." + namespace)).as(stderr()).isZero();
        assertThat(result().toString()).isEqualTo("{\"dropped_tables\":[],\"namespace_dropped\":false}");
    }

    @Test
    void dropTablesDropsTheNamedTablesThatExist() throws Exception {
        String namespace = TestSpark.uniqueName("pg_tool");
        assertThat(run("create-tables", "--spec-base64", base64(spec(namespace, "SELECT * FROM source")))).as(stderr()).isZero();

        reset();
        assertThat(run("drop-tables", "--tables", "pedregal." + namespace + ".daily,pedregal." + namespace + ".missing"))
                .as(stderr()).isZero();

        assertThat(result().toString()).isEqualTo("{\"dropped_tables\":[\"pedregal." + namespace + ".daily\"]}");
        assertThat(TestSpark.sql("SHOW TABLES IN pedregal." + namespace).stream().map(row -> row.getString(1)))
                .containsExactly("bucketed");
        reset();
        assertThat(run("drop-tables", "--tables", "pedregal.raw.events")).isEqualTo(1);
        assertThat(stderr()).contains("is not a playground namespace");
    }

    @Test
    void refusesNamespacesThatAreNotPlaygrounds() {
        TestSpark.withDemoData();
        String spec = spec("derived", "SELECT * FROM source");

        assertThat(run("create-tables", "--spec-base64", base64(spec))).isEqualTo(1);
        assertThat(run("drop-namespace", "--namespace", "pedregal.raw")).isEqualTo(1);

        assertThat(stdout()).isEmpty();
        assertThat(stderr()).isEqualTo("PLAYGROUND-TOOL FAILED: sinks[0] (pedregal.derived.daily): namespace \"derived\" is not a"
                + " playground namespace (its name must start with pg_)\n"
                + "PLAYGROUND-TOOL FAILED: --namespace: namespace \"raw\" is not a playground namespace (its name must start with pg_)\n");
        assertThat(TestSpark.count("pedregal.raw.events")).isEqualTo(DemoData.ROWS);
    }

    @Test
    void refusesATransformationThatIsNotAQueryWithoutRunningIt() {
        String namespace = TestSpark.uniqueName("pg_tool");
        TestSpark.session().sql("CREATE NAMESPACE IF NOT EXISTS pedregal." + namespace);
        TestSpark.session().sql("CREATE TABLE pedregal." + namespace + ".victim (id BIGINT) USING iceberg");
        String spec = spec(namespace, "INSERT INTO pedregal." + namespace + ".victim VALUES (1)");

        assertThat(run("create-tables", "--spec-base64", base64(spec))).isEqualTo(1);

        assertThat(stderr()).isEqualTo("PLAYGROUND-TOOL FAILED: transformations[0]: is not a query: INSERT INTO pedregal."
                + namespace + ".victim\n");
        assertThat(TestSpark.count("pedregal." + namespace + ".victim")).isZero();
    }

    @Test
    void wrongArgumentsPrintTheUsage() {
        assertThat(run("create-table", "--spec-base64", "e30=")).isEqualTo(1);
        assertThat(run("drop-namespace", "--namespace", "no_catalog")).isEqualTo(1);

        assertThat(stderr()).isEqualTo("PLAYGROUND-TOOL FAILED: arguments: " + PlaygroundTool.USAGE
                + " (got: create-table --spec-base64 e30=)\n"
                + "PLAYGROUND-TOOL FAILED: --namespace: \"no_catalog\" is not <catalog>.<namespace>"
                + " (for example pedregal.pg_team_user_name)\n");
    }

    private static String spec(String namespace, String query) {
        return """
                {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
                 "transformations": [{"type": "sql", "query": "%s"}],
                 "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "%s", "table": "daily",
                            "partition_by": ["event_date"]},
                           {"type": "iceberg", "catalog": "pedregal", "database": "%s", "table": "bucketed",
                            "partition_by": ["bucket(4, event_id)", "days(event_date)"], "mode": "overwrite"}]}"""
                .formatted(query, namespace, namespace);
    }

    private int run(String... args) {
        return PlaygroundTool.run(args, print(out), print(err), TestSpark::withDemoData, false);
    }

    private JsonNode result() throws Exception {
        String text = stdout();
        assertThat(text).startsWith("PLAYGROUND-TOOL RESULT ").endsWith("\n").hasLineCount(1);
        return MAPPER.readTree(text.substring("PLAYGROUND-TOOL RESULT ".length()));
    }

    private void reset() {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
