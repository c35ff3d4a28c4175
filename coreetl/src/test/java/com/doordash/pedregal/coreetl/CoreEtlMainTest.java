package com.doordash.pedregal.coreetl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class CoreEtlMainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void successPrintsTheRowsWrittenPerSink() throws IOException {
        String first = TestSpark.uniqueName("main_orders");
        String second = TestSpark.uniqueName("main_refunds");
        Path spec = write("""
                {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
                 "transformations": [{"type": "sql", "query": "SELECT * FROM source WHERE event_type = 'refund'"}],
                 "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "%s"},
                           {"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "%s", "mode": "overwrite"}]}"""
                .formatted(first, second));

        int code = run("--spec", spec.toString());

        assertThat(code).isZero();
        assertThat(stdout()).isEqualTo("CoreETL SUCCEEDED: wrote 1000 rows to pedregal.derived." + first
                + ", 1000 rows to pedregal.derived." + second + "\n");
        assertThat(stderr()).isEmpty();
    }

    @Test
    void specGivenAsBase64RunsLikeASpecFile() {
        String table = TestSpark.uniqueName("main_base64");
        String json = """
                {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
                 "transformations": [{"type": "sql", "query": "SELECT * FROM source WHERE event_id <= 3"}],
                 "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "%s"}]}"""
                .formatted(table);

        int code = run("--spec-base64", Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));

        assertThat(code).as(stderr()).isZero();
        assertThat(stdout()).isEqualTo("CoreETL SUCCEEDED: wrote 3 rows to pedregal.derived." + table + "\n");
    }

    @Test
    void invalidBase64SpecFailsNamingTheOption() {
        String spec = Base64.getEncoder().encodeToString("{\"sources\": [], \"sinks\": []}".getBytes(StandardCharsets.UTF_8));

        assertThat(run("--spec-base64=" + spec)).isEqualTo(1);
        assertThat(run("--spec-base64", "not base64!")).isEqualTo(1);

        assertThat(stderr()).isEqualTo("CoreETL FAILED: spec (--spec-base64) is invalid: "
                + "sources: must list at least one source; sinks: must list at least one sink\n"
                + "CoreETL FAILED: spec (--spec-base64): is not valid base64: Illegal base64 character 20\n");
    }

    @Test
    void invalidSpecFailsWithEveryViolationBeforeStartingSpark() throws IOException {
        Path spec = write("""
                {"sources": [{"type": "kafka", "catalog": "pedregal", "database": "raw"}],
                 "transformations": [{"type": "sql", "query": " "}],
                 "sinks": []}""");
        AtomicBoolean started = new AtomicBoolean();

        int code = CoreEtlMain.run(new String[] {"--spec", spec.toString()}, print(out), print(err), () -> {
            started.set(true);
            return TestSpark.session();
        }, false);

        assertThat(code).isEqualTo(1);
        assertThat(started).isFalse();
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).isEqualTo("CoreETL FAILED: spec " + spec + " is invalid: "
                + "sources[0].type: \"kafka\" is not supported (supported: iceberg); sources[0].table: is required; "
                + "transformations[0].query: must not be blank; sinks: must list at least one sink\n");
    }

    @Test
    void malformedSpecFailsNamingTheField() throws IOException {
        Path spec = write("""
                {"sources": [], "sinks": [{"mode": "upsert"}]}""");

        int code = run("--spec", spec.toString());

        assertThat(code).isEqualTo(1);
        assertThat(stderr()).startsWith("CoreETL FAILED: spec " + spec + ": sinks[0].mode: \"upsert\" is not a sink mode")
                .hasLineCount(1);
    }

    @Test
    void missingArgumentsPrintTheUsage() {
        int code = run("--specs", "x.json");

        assertThat(code).isEqualTo(1);
        assertThat(stderr()).isEqualTo("CoreETL FAILED: arguments: " + CoreEtlMain.USAGE + " (got: --specs x.json)\n");
    }

    @Test
    void missingSpecFileFailsOnOneLine() {
        int code = run("--spec", dir.resolve("nope.json").toString());

        assertThat(code).isEqualTo(1);
        assertThat(stderr()).startsWith("CoreETL FAILED: spec " + dir.resolve("nope.json") + ": cannot be read: ")
                .hasLineCount(1);
    }

    @Test
    void sparkFailureIsPrintedOnOneLineAndReportedToTheEventsFile() throws IOException {
        Path events = dir.resolve("run/events.jsonl");
        Path spec = write("""
                {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
                 "transformations": [{"type": "sql", "query": "SELECT * FROM source"},
                                     {"type": "sql", "query": "SELEC event_id\\nFRM source"}],
                 "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "never"}]}""");
        SparkSession spark = TestSpark.withDemoData();
        spark.conf().set(EventsFile.CONF_KEY, events.toString());
        long before = System.currentTimeMillis();
        int code;
        try {
            code = run("--spec", spec.toString());
        }
        finally {
            spark.conf().unset(EventsFile.CONF_KEY);
        }

        assertThat(code).isEqualTo(1);
        assertThat(stdout()).isEmpty();
        String line = stderr();
        assertThat(line).startsWith("CoreETL FAILED: transformations[1]: [PARSE_SYNTAX_ERROR] Syntax error at or near")
                .hasLineCount(1)
                .endsWith("\n");
        List<String> lines = Files.readAllLines(events);
        assertThat(lines).hasSize(1);
        JsonNode event = new ObjectMapper().readTree(lines.get(0));
        assertThat(event.get("event").asText()).isEqualTo("FAILED");
        assertThat(event.get("time").asLong()).isBetween(before, System.currentTimeMillis());
        assertThat(event.get("message").asText()).isEqualTo(line.substring("CoreETL FAILED: ".length()).strip());
        assertThat(lines.get(0)).startsWith("{\"event\":\"FAILED\",\"time\":");
    }

    private int run(String... args) {
        return CoreEtlMain.run(args, print(out), print(err), TestSpark::withDemoData, false);
    }

    private Path write(String json) throws IOException {
        Path spec = dir.resolve(TestSpark.uniqueName("spec") + ".json");
        Files.writeString(spec, json);
        return spec;
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
