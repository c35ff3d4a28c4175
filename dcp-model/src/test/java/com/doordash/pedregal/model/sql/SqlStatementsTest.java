package com.doordash.pedregal.model.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The statement reader follows Spark's lexer: what hides a write from a text scan does not hide it here. */
final class SqlStatementsTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM source",
            "  -- counts\n with x AS (SELECT 1) SELECT * FROM x",
            "(SELECT a FROM t) UNION ALL (SELECT a FROM u)",
            "SELECT 'INSERT INTO x' AS s, `update` FROM t WHERE note = 'delete from'",
            "SELECT replace(name, 'a', 'b') AS updated, is_delete FROM t",
            "SELECT 1 -- INSERT INTO pedregal.raw.events\n",
            "SELECT /* INSERT INTO /* nested */ x */ 1",
            "VALUES (1), (2)",
            "TABLE pedregal.raw.events",
            "FROM source SELECT *",
            "SELECT 1;",
    })
    void queriesAreQueries(String sql) {
        assertThat(SqlStatements.writeVerb(sql)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // A carriage return ends a -- comment in Spark: the INSERT is a statement.
            "SELECT 1 -- harmless\rINSERT INTO pedregal.raw.events SELECT * FROM source",
            // A backslash inside back-quotes is just a character: the name ends at the next back-quote.
            "SELECT `a\\` FROM source; INSERT INTO pedregal.raw.events SELECT * FROM source --`",
            "WITH s AS (SELECT 1 AS a) INSERT OVERWRITE pedregal.raw.x SELECT * FROM s",
            "FROM source INSERT INTO pedregal.raw.x SELECT *",
            "WITH s AS (SELECT 1) DELETE FROM pedregal.raw.events WHERE true",
            "SELECT 1; DROP TABLE pedregal.raw.events",
            // A raw string has no escapes: the quote after the backslash closes it.
            "SELECT r'\\' AS x, 1 FROM source UNION ALL SELECT 1, 2 FROM source; INSERT INTO pedregal.raw.x VALUES (1) --'",
            // With escapedStringLiterals on, a backslash does not escape: the string ends early.
            "SELECT 'a\\' ; INSERT INTO pedregal.raw.x VALUES (1) ; SELECT '",
            // With double-quoted identifiers on, \" does not escape either.
            "SELECT \"a\\\" FROM source; MERGE INTO pedregal.raw.x t USING s ON true WHEN MATCHED THEN DELETE --\"",
            "/* hi */ drop table pedregal.raw.events",
            "UPDATE pedregal.raw.events SET x = 1",
    })
    void writesAreFoundWhereverSparkWouldSeeThem(String sql) {
        assertThat(SqlStatements.writeVerb(sql)).isPresent();
    }

    @org.junit.jupiter.api.Test
    void aStatementSparkCannotParseIsLeftToSparksSyntaxErrorButAKnownWriteIsNot() {
        assertThat(SqlStatements.writeVerb("SELEC * FROM source")).contains("SELEC FROM");
        assertThat(SqlStatements.knownWrite("SELEC * FROM source")).isEmpty();
        assertThat(SqlStatements.knownWrite("insert into pedregal.raw.events select 1")).contains("INSERT INTO");
        assertThat(SqlStatements.knownWrite("SELECT 1; SELEC 2")).contains("a second statement after ';'");
        assertThat(SqlStatements.knownWrite("SET spark.sql.catalog.x=y")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1 -- comment \\\nINSERT INTO t VALUES (1)"})
    void aBackslashBeforeANewlineContinuesTheCommentAsInSpark(String sql) {
        assertThat(SqlStatements.writeVerb(sql)).isEmpty();
    }
}
