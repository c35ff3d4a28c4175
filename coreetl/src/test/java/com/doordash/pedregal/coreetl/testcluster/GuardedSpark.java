package com.doordash.pedregal.coreetl.testcluster;

import com.doordash.pedregal.coreetl.TestSpark;
import org.apache.spark.sql.SparkSession;

/** A second session on the shared test SparkContext, with {@link ReadOnlyExtensions} installed beside Iceberg's. */
final class GuardedSpark {
    private static SparkSession guarded;

    private GuardedSpark() {
    }

    static synchronized SparkSession session() {
        if (guarded == null) {
            SparkSession base = TestSpark.session();
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();
            try {
                guarded = SparkSession.builder().withExtensions(new ReadOnlyExtensions()).getOrCreate();
            }
            finally {
                SparkSession.setDefaultSession(base);
                SparkSession.setActiveSession(base);
            }
        }
        return guarded;
    }
}
