package com.doordash.pedregal.coreetl;

import java.io.PrintStream;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;

/**
 * Runs SQL queries and prints their rows, to inspect tables (the platform's tests use it). Each argument is a
 * query; for query {@code i} (0-based) it prints one line {@code ROW <i> <row as JSON>} per row, then
 * {@code QUERY <i> DONE <row count>}. On failure it prints {@code QUERY FAILED: query <i>: <message>} on stderr and
 * exits with code 1. The session time zone is UTC unless {@code spark.sql.session.timeZone} is set.
 */
public final class QueryMain {
    private QueryMain() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err, () -> {
            SparkSession.Builder builder = SparkSession.builder();
            if (!new SparkConf().contains("spark.sql.session.timeZone")) {
                builder.config("spark.sql.session.timeZone", "UTC");
            }
            return builder.getOrCreate();
        }, true);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the queries; returns the exit code. */
    static int run(String[] queries, PrintStream out, PrintStream err, Supplier<SparkSession> sessions, boolean stopSession) {
        SparkSession spark = null;
        int index = -1;
        try {
            if (queries == null || queries.length == 0) {
                throw new CoreEtlException("usage: QueryMain <SQL query> [<SQL query> ...]");
            }
            spark = sessions.get();
            for (index = 0; index < queries.length; index++) {
                Dataset<String> rows = spark.sql(queries[index]).toJSON();
                long count = 0;
                for (String row : rows.collectAsList()) {
                    out.println("ROW " + index + " " + row);
                    count++;
                }
                out.println("QUERY " + index + " DONE " + count);
            }
            out.flush();
            return 0;
        }
        catch (Throwable e) {
            out.flush();
            String message = Messages.describe(e);
            err.println("QUERY FAILED: " + (index >= 0 ? "query " + index + ": " : "") + message);
            err.flush();
            return 1;
        }
        finally {
            if (stopSession && spark != null) {
                try {
                    spark.stop();
                }
                catch (RuntimeException e) {
                    // the outcome is already printed
                }
            }
        }
    }
}
