package com.doordash.pedregal.server.playground;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlaygroundWritesTest {
    @Test
    void queriesAreNotWrites() {
        assertThat(PlaygroundWrites.writeVerb("SELECT * FROM source")).isEmpty();
        assertThat(PlaygroundWrites.writeVerb("  -- counts\n with x AS (SELECT 1) SELECT * FROM x")).isEmpty();
        assertThat(PlaygroundWrites.writeVerb("(SELECT a FROM t) UNION ALL (SELECT a FROM u)")).isEmpty();
        assertThat(PlaygroundWrites.writeVerb("SELECT 'INSERT INTO x' AS s, `update` FROM t WHERE note = 'delete from'")).isEmpty();
        assertThat(PlaygroundWrites.writeVerb("SELECT replace(name, 'a', 'b') AS updated, is_delete FROM t")).isEmpty();
    }

    @Test
    void statementsThatWriteAreNamed() {
        assertThat(PlaygroundWrites.writeVerb("INSERT INTO pedregal.raw.events SELECT * FROM source")).contains("INSERT INTO");
        assertThat(PlaygroundWrites.writeVerb("/* hi */ drop table pedregal.raw.events")).contains("DROP TABLE");
        assertThat(PlaygroundWrites.writeVerb("WITH s AS (SELECT 1 AS a) INSERT OVERWRITE pedregal.raw.x SELECT * FROM s"))
                .contains("INSERT OVERWRITE");
        assertThat(PlaygroundWrites.writeVerb("FROM source INSERT INTO pedregal.raw.x SELECT *")).contains("INSERT INTO");
        assertThat(PlaygroundWrites.writeVerb("WITH s AS (SELECT 1) DELETE FROM pedregal.raw.events WHERE true"))
                .contains("DELETE FROM");
        assertThat(PlaygroundWrites.writeVerb("WITH s AS (SELECT 1) UPDATE pedregal.raw.events SET a = 1")).contains("UPDATE");
        assertThat(PlaygroundWrites.writeVerb("WITH s AS (SELECT 1) MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE"))
                .contains("MERGE INTO");
        assertThat(PlaygroundWrites.writeVerb("SET spark.pedregal.playground.namespace=x")).isPresent();
    }

    @Test
    void diffShowsChangedLinesWithContext() {
        String before = "a\nb\nc\nd\ne\nf\ng\nh\n";
        String after = "a\nb\nc\nd\nE\nf\ng\nh\ni\n";

        assertThat(LineDiff.unified(before, before, "old", "new")).isEmpty();
        assertThat(LineDiff.unified(before, after, "old", "new")).isEqualTo("""
                --- old
                +++ new
                @@ -2,7 +2,8 @@
                 b
                 c
                 d
                -e
                +E
                 f
                 g
                 h
                +i
                """);
        assertThat(LineDiff.unified("", "x\n", "(nothing applied)", "B.yaml")).isEqualTo("""
                --- (nothing applied)
                +++ B.yaml
                @@ -0,0 +1,1 @@
                +x
                """);
    }
}
