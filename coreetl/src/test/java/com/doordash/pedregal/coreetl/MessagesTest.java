package com.doordash.pedregal.coreetl;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

final class MessagesTest {
    @Test
    void lineBreaksBecomeOneSpaceAndTheEndsAreTrimmed() {
        assertThat(Messages.singleLine("  transformations[1]: [PARSE_SYNTAX_ERROR] Syntax error at or near 'FRM'.\n\n"
                + "== SQL ==\r\nSELEC a FRM b\n\t^^^\n  "))
                .isEqualTo("transformations[1]: [PARSE_SYNTAX_ERROR] Syntax error at or near 'FRM'. == SQL == SELEC a FRM b ^^^");
    }

    @Test
    void spacesInsideALineAreKept() {
        assertThat(Messages.singleLine("a  b\tc")).isEqualTo("a  b\tc");
    }

    @Test
    void longMessagesAreCutToTwoThousandCharacters() {
        String line = Messages.singleLine("x".repeat(1990) + "\n" + "y".repeat(100));

        assertThat(line).hasSize(Messages.MAX_LENGTH).startsWith("x".repeat(1990) + " yyy").endsWith("y...");
        assertThat(Messages.singleLine("z".repeat(2000))).isEqualTo("z".repeat(2000));
    }

    @Test
    void missingMessagesGetAPlaceholder() {
        assertThat(Messages.singleLine(null)).isEqualTo("unknown error");
        assertThat(Messages.singleLine(" \n ")).isEqualTo("unknown error");
        assertThat(Messages.describe(new IllegalStateException())).isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void stackTracesAndTheDriverStacktraceAreLeftOut() {
        SparkException aborted = new SparkException("Job aborted due to stage failure: Task 0 in stage 3.0 failed: "
                + "java.io.IOException: disk full\n\tat org.example.Writer.write(Writer.java:12)\n"
                + "\tat org.example.Task.run(Task.java:34)\n\t... 12 more\n\nDriver stacktrace:\n\tat org.apache.X.y(X.scala:1)");

        assertThat(Messages.describe(aborted))
                .isEqualTo("Job aborted due to stage failure: Task 0 in stage 3.0 failed: java.io.IOException: disk full");
    }

    @Test
    void aCauseWithASparkErrorClassExplainsAnAbortedJob() {
        Exception divide = null;
        try {
            TestSpark.session().conf().set("spark.sql.ansi.enabled", "true");
            TestSpark.session().sql("SELECT id / (id - id) FROM range(1, 3)").collectAsList();
        }
        catch (Exception e) {
            divide = e;
        }
        finally {
            TestSpark.session().conf().unset("spark.sql.ansi.enabled");
        }

        assertThat(divide).isNotNull();
        assertThat(Messages.describe(divide)).startsWith("[DIVIDE_BY_ZERO] Division by zero.").doesNotContain("\tat ");
    }

    @Test
    void aCoreEtlExceptionKeepsItsStepPrefix() {
        CoreEtlException failure = new CoreEtlException("sinks[0] (pedregal.derived.orders)",
                new IllegalStateException("first line\nsecond line"));

        assertThat(failure.getMessage()).isEqualTo("sinks[0] (pedregal.derived.orders): first line\nsecond line");
        assertThat(Messages.describe(failure)).isEqualTo("sinks[0] (pedregal.derived.orders): first line second line");
    }
}
