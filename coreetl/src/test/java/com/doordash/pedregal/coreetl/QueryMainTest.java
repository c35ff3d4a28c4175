package com.doordash.pedregal.coreetl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class QueryMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void printsEveryRowAsJsonThenTheCountPerQuery() {
        int code = run("SELECT 1 AS a, 'x' AS b, CAST(NULL AS STRING) AS c",
                "SELECT id FROM range(2)",
                "SELECT * FROM range(0)",
                "SELECT event_id, amount, event_time FROM pedregal.raw.events WHERE event_id = 1");

        assertThat(code).isZero();
        assertThat(stdout()).isEqualTo("""
                ROW 0 {"a":1,"b":"x"}
                QUERY 0 DONE 1
                ROW 1 {"id":0}
                ROW 1 {"id":1}
                QUERY 1 DONE 2
                QUERY 2 DONE 0
                ROW 3 {"event_id":1,"amount":99.73,"event_time":"2024-01-01T00:44:37.000Z"}
                QUERY 3 DONE 1
                """);
        assertThat(stderr()).isEmpty();
    }

    @Test
    void failurePrintsOneLineNamingTheQuery() {
        int code = run("SELECT 1 AS a", "SELECT * FROM pedregal.raw.nope");

        assertThat(code).isEqualTo(1);
        assertThat(stdout()).isEqualTo("ROW 0 {\"a\":1}\nQUERY 0 DONE 1\n");
        assertThat(stderr()).startsWith("QUERY FAILED: query 1: [TABLE_OR_VIEW_NOT_FOUND] The table or view")
                .hasLineCount(1);
    }

    @Test
    void noQueriesIsAFailure() {
        assertThat(run()).isEqualTo(1);
        assertThat(stderr()).isEqualTo("QUERY FAILED: usage: QueryMain <SQL query> [<SQL query> ...]\n");
    }

    private int run(String... queries) {
        return QueryMain.run(queries, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), TestSpark::withDemoData, false);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
