package com.doordash.pedregal.coreetl.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.model.TestReport;
import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

final class SpecAnalyzerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ORDERS = "pedregal.an_raw.orders";
    private static final String CUSTOMERS = "pedregal.an_raw.customers";
    private static final String DAILY = "pedregal.derived.an_daily";

    @BeforeAll
    static void createFixtures() {
        SparkSession base = com.doordash.pedregal.coreetl.TestSpark.session();
        base.sql("CREATE NAMESPACE IF NOT EXISTS pedregal.an_raw");
        base.sql("CREATE NAMESPACE IF NOT EXISTS pedregal.derived");
        for (String table : List.of(ORDERS, CUSTOMERS, DAILY)) {
            base.sql("DROP TABLE IF EXISTS " + table);
        }
        base.sql("CREATE TABLE " + ORDERS + " (order_id INT, customer_id INT, amount DOUBLE, day STRING) USING iceberg PARTITIONED BY (day)");
        // One INSERT per day: one data file per partition.
        base.sql("INSERT INTO " + ORDERS + " VALUES (1, 1, 10.0, 'd1'), (2, 2, 5.0, 'd1')");
        base.sql("INSERT INTO " + ORDERS + " VALUES (3, 1, 7.5, 'd2')");
        base.sql("INSERT INTO " + ORDERS + " VALUES (4, 2, 2.5, 'd3'), (5, 1, 1.0, 'd3')");
        base.sql("CREATE TABLE " + CUSTOMERS + " (customer_id INT, name STRING) USING iceberg");
        base.sql("INSERT INTO " + CUSTOMERS + " VALUES (1, 'ann'), (2, 'bob')");
        base.sql("CREATE TABLE " + DAILY + " (day STRING NOT NULL, total FLOAT, n INT, old_col STRING) USING iceberg");
    }

    private static String spec(String sourcesJson, String transformationsJson, String sinkDatabase) {
        return "{\"sources\": " + sourcesJson + ", \"transformations\": " + transformationsJson
                + ", \"sinks\": [{\"type\": \"iceberg\", \"catalog\": \"pedregal\", \"database\": \"" + sinkDatabase
                + "\", \"table\": \"an_daily\"}]}";
    }

    private static String source(String table, String filter) {
        return "{\"type\": \"iceberg\", \"catalog\": \"pedregal\", \"database\": \"an_raw\", \"table\": \"" + table + "\""
                + (filter == null ? "" : ", \"filter\": \"" + filter + "\"") + "}";
    }

    private static String sql(String query) {
        return "{\"type\": \"sql\", \"query\": " + quote(query) + "}";
    }

    private static String sql(String query, String name) {
        return "{\"type\": \"sql\", \"query\": " + quote(query) + ", \"name\": \"" + name + "\"}";
    }

    private static String quote(String text) {
        try {
            return MAPPER.writeValueAsString(text);
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String DAILY_SPEC = spec(
            "[" + source("orders", "day >= 'd2'") + ", " + source("customers", null) + "]",
            "[" + sql("SELECT o.day, o.amount, c.name FROM orders o JOIN customers c ON o.customer_id = c.customer_id", "joined")
                    + ", " + sql("SELECT day, CAST(sum(amount) AS DOUBLE) AS total, count(*) AS n, max(name) AS top_name "
                    + "FROM joined GROUP BY day ORDER BY day") + "]",
            "derived");

    private static JsonNode analyze(String spec, String options) throws Exception {
        String report = SpecAnalyzer.analyze(GuardedSpark.session(), spec, options);
        // Every report the analyzer writes is what the server reads: the typed report, strictly (no unknown field).
        TestReport typed = Json.read(report, TestReport.class);
        assertThat(typed.status()).isIn(TestReport.PASSED, TestReport.FAILED);
        assertThat(MAPPER.readTree(Json.write(typed))).isEqualTo(MAPPER.readTree(report));
        return MAPPER.readTree(report);
    }

    private static List<String> codes(JsonNode report) {
        List<String> codes = new ArrayList<>();
        report.path("findings").forEach(f -> codes.add(f.path("severity").asText() + ":" + f.path("code").asText()));
        return codes;
    }

    @Test
    void validSpecPassesWithSchemasLineagePreviewAndSchemaDiff() throws Exception {
        JsonNode report = analyze(DAILY_SPEC, null);

        assertThat(report.path("findings").toString()).isEqualTo("[]");
        assertThat(report.path("status").asText()).isEqualTo("PASSED");
        assertThat(report.path("schemas").path("transformations").get(0).path("name").asText()).isEqualTo("joined");
        assertThat(report.path("schemas").path("sinks").toString()).isEqualTo("[{\"table\":\"pedregal.derived.an_daily\",\"columns\":["
                + "{\"name\":\"day\",\"type\":\"string\",\"nullable\":true},"
                + "{\"name\":\"total\",\"type\":\"double\",\"nullable\":true},"
                + "{\"name\":\"n\",\"type\":\"bigint\",\"nullable\":false},"
                + "{\"name\":\"top_name\",\"type\":\"string\",\"nullable\":true}]}]");
        assertThat(report.path("lineage").toString()).isEqualTo("{\"tables\":[{\"sink\":\"pedregal.derived.an_daily\","
                + "\"sources\":[\"pedregal.an_raw.customers\",\"pedregal.an_raw.orders\"]}],\"columns\":["
                + "{\"sink\":\"pedregal.derived.an_daily\",\"column\":\"day\",\"sources\":[\"pedregal.an_raw.orders.day\"]},"
                + "{\"sink\":\"pedregal.derived.an_daily\",\"column\":\"total\",\"sources\":[\"pedregal.an_raw.orders.amount\"]},"
                + "{\"sink\":\"pedregal.derived.an_daily\",\"column\":\"n\",\"sources\":[]},"
                + "{\"sink\":\"pedregal.derived.an_daily\",\"column\":\"top_name\",\"sources\":[\"pedregal.an_raw.customers.name\"]}]}");
        assertThat(report.path("preview").toString()).isEqualTo("{\"columns\":[\"day\",\"total\",\"n\",\"top_name\"],"
                + "\"rows\":[[\"d2\",7.5,1,\"ann\"],[\"d3\",3.5,2,\"bob\"]],\"limit\":20}");
        assertThat(report.path("schema_diff").toString()).isEqualTo("[{\"sink\":\"pedregal.derived.an_daily\",\"exists\":true,\"changes\":["
                + "{\"column\":\"day\",\"change\":\"nullability_changed\",\"from\":\"not null\",\"to\":\"nullable\",\"breaking\":true},"
                + "{\"column\":\"total\",\"change\":\"type_changed\",\"from\":\"float\",\"to\":\"double\",\"breaking\":false},"
                + "{\"column\":\"n\",\"change\":\"type_changed\",\"from\":\"int\",\"to\":\"bigint\",\"breaking\":false},"
                + "{\"column\":\"n\",\"change\":\"nullability_changed\",\"from\":\"nullable\",\"to\":\"not null\",\"breaking\":false},"
                + "{\"column\":\"top_name\",\"change\":\"added\",\"from\":null,\"to\":\"string\",\"breaking\":false},"
                + "{\"column\":\"old_col\",\"change\":\"removed\",\"from\":\"string\",\"to\":null,\"breaking\":true}]}]");
        assertThat(report.path("explain").asText()).contains("== Physical Plan ==");
        assertThat(report.path("timings_ms").has("total")).isTrue();
    }

    @Test
    void costDropsWhenAPartitionFilterPrunesFiles() throws Exception {
        JsonNode cost = analyze(DAILY_SPEC, "{\"sections\": {\"preview\": false}}").path("cost");

        JsonNode orders = cost.get(0);
        assertThat(orders.path("source").asText()).isEqualTo(ORDERS);
        assertThat(orders.path("total_files").asLong()).isEqualTo(3);
        assertThat(orders.path("files").asLong()).isEqualTo(2);
        assertThat(orders.path("bytes").asLong()).isLessThan(orders.path("total_bytes").asLong()).isPositive();
        JsonNode customers = cost.get(1);
        assertThat(customers.path("files").asLong()).isEqualTo(customers.path("total_files").asLong()).isPositive();
    }

    @Test
    void syntaxErrorReportsTheTransformationLineAndColumn() throws Exception {
        JsonNode report = analyze(spec("[" + source("orders", null) + "]",
                "[" + sql("SELECT day FROM source", "ok") + ", " + sql("SELECT day,\n  amount +* 2\nFROM ok") + "]", "derived"), null);

        assertThat(report.path("status").asText()).isEqualTo("FAILED");
        JsonNode finding = report.path("findings").get(0);
        assertThat(finding.path("code").asText()).isEqualTo("SYNTAX_ERROR");
        assertThat(finding.path("transformation").asInt()).isEqualTo(1);
        assertThat(finding.path("line").asInt()).isEqualTo(2);
        // Spark reports the token after "+*": the '2' at column 13 of "  amount +* 2".
        assertThat(finding.path("column").asInt()).isEqualTo(13);
        assertThat(finding.path("message").asText()).startsWith("transformations[1]: ").contains("near '2'");
    }

    @Test
    void unresolvedTablesAndColumnsAreNamed() throws Exception {
        JsonNode table = analyze(spec("[" + source("orders", null) + "]", "[" + sql("SELECT * FROM missing_view") + "]", "derived"), null);
        assertThat(codes(table)).containsExactly("error:UNRESOLVED_TABLE");
        assertThat(table.path("findings").get(0).path("name").asText()).isEqualTo("missing_view");
        assertThat(table.path("findings").get(0).path("transformation").asInt()).isEqualTo(0);

        JsonNode column = analyze(spec("[" + source("orders", null) + "]", "[" + sql("SELECT day,\n nope FROM source") + "]", "derived"), null);
        assertThat(codes(column)).containsExactly("error:UNRESOLVED_COLUMN");
        assertThat(column.path("findings").get(0).path("name").asText()).isEqualTo("nope");
        assertThat(column.path("findings").get(0).path("line").asInt()).isEqualTo(2);

        JsonNode source = analyze(spec("[" + source("no_such_table", null) + "]", "[]", "derived"), null);
        assertThat(codes(source)).containsExactly("error:UNRESOLVED_TABLE");
        assertThat(source.path("findings").get(0).path("transformation").isNull()).isTrue();
    }

    @Test
    void policyFindsSinkNamespaceCartesianProductSelectStarAndMissingPartitionFilter() throws Exception {
        JsonNode star = analyze(spec("[" + source("orders", null) + "]", "[" + sql("SELECT * FROM source") + "]", "raw"),
                "{\"sections\": {\"preview\": false, \"cost\": false, \"explain\": false}}");
        assertThat(codes(star)).containsExactly("error:POLICY_SINK_NAMESPACE", "warning:POLICY_SELECT_STAR",
                "warning:POLICY_PARTITION_FILTER");
        assertThat(star.path("status").asText()).isEqualTo("FAILED");
        assertThat(star.has("preview")).isFalse();
        assertThat(star.has("cost")).isFalse();
        assertThat(star.has("explain")).isFalse();

        JsonNode cartesian = analyze(spec("[" + source("orders", "day = 'd1'") + ", " + source("customers", null) + "]",
                "[" + sql("SELECT o.day, c.name FROM orders o, customers c") + "]", "derived"),
                "{\"sections\": {\"preview\": false, \"cost\": false}}");
        assertThat(codes(cartesian)).containsExactly("error:POLICY_CARTESIAN_PRODUCT");

        JsonNode relaxed = analyze(spec("[" + source("orders", null) + "]", "[" + sql("SELECT * FROM source") + "]", "raw"),
                "{\"policy\": {\"allowed_sink_namespaces\": [\"raw\"], \"forbid_select_star\": false, "
                        + "\"require_partition_filter\": false}, \"sections\": {\"preview\": false}}");
        assertThat(codes(relaxed)).isEmpty();
        assertThat(relaxed.path("status").asText()).isEqualTo("PASSED");
    }

    @Test
    void invalidSpecIsAFinding() throws Exception {
        JsonNode report = analyze("{\"sources\": []}", null);
        assertThat(report.path("status").asText()).isEqualTo("FAILED");
        assertThat(codes(report)).contains("error:INVALID_SPEC");
    }

    @Test
    void tableFunctionReturnsTheSameReportAsTheInProcessCall() throws Exception {
        SparkSession guarded = GuardedSpark.session();
        String options = "{\"preview_limit\": 1, \"sections\": {\"explain\": false}}";
        JsonNode direct = analyze(DAILY_SPEC, options);

        String escaped = DAILY_SPEC.replace("\\", "\\\\").replace("'", "\\'");
        String viaSql = guarded.sql("SELECT report FROM dcp_analyze('" + escaped + "', '" + options + "')")
                .collectAsList().get(0).getString(0);
        String base64 = Base64.getEncoder().encodeToString(DAILY_SPEC.getBytes(StandardCharsets.UTF_8));
        String viaBase64 = guarded.sql("SELECT report FROM dcp_analyze('base64:" + base64 + "', '" + options + "')")
                .collectAsList().get(0).getString(0);

        assertThat(withoutTimings(MAPPER.readTree(viaSql))).isEqualTo(withoutTimings(direct));
        assertThat(withoutTimings(MAPPER.readTree(viaBase64))).isEqualTo(withoutTimings(direct));
        assertThat(direct.path("preview").path("rows").size()).isEqualTo(1);
        assertThat(guarded.sql("SELECT * FROM dcp_analyze('" + escaped + "')").schema().fieldNames()).containsExactly("report");
    }

    private static JsonNode withoutTimings(JsonNode report) {
        ObjectNode copy = report.deepCopy();
        copy.remove("timings_ms");
        return copy;
    }
}
