package com.doordash.pedregal.testcontainers;

/**
 * A Spark Connect server for tests: {@link SparkContainer} in Docker, {@link LocalSparkConnect} in a child JVM. A test
 * written against this interface runs on either.
 */
public interface SparkConnect {
    /** The server's address for {@code SparkSession.builder().remote(...)}: {@code sc://localhost:<port>/...}. */
    String getSparkConnectUrl();
}
