package com.doordash.pedregal.model;

/** Request bodies from the seed README, for tests. */
public final class SeedRequests {
    /** The seed README's curl example, with its example job spec filled in. */
    public static final String SEED_EXAMPLE = """
            {
              "name": "my-job",
              "team": "data-infra",
              "user": "user@doordash.com",
              "config": {
                "spark_version": "3.5",
                "job_type": "BATCH",
                "core_etl": {
                  "version": "2.7.0",
                  "job_spec": {
                    "sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
                    "transformations": [{"type": "sql", "query": "SELECT * FROM source WHERE event_type = 'order'"}],
                    "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "orders"}]
                  }
                },
                "resources": {
                  "driver": {"cores": 2, "memory": "4g"},
                  "executor": {"instances": 5, "cores": 4, "memory": "8g"}
                }
              }
            }
            """;

    private SeedRequests() {
    }
}
