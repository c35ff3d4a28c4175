package com.doordash.pedregal.client;

/** The seed README's Java example, word for word, with the seed's CoreETL job spec. */
final class SeedExample {
    /** The seed's job: read pedregal.raw.events, keep the orders, write pedregal.derived.orders. */
    static final String JOB_SPEC_JSON = """
            {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
             "transformations": [{"type": "sql", "query": "SELECT * FROM source WHERE event_type = 'order'"}],
             "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "orders"}]}
            """;

    /** The body README.md documents for this request (with the seed's job name). */
    static final String REST_JSON = """
            {
              "name": "my-etl-job",
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

    private SeedExample() {
    }

    /** The request exactly as the seed README builds it. */
    static SubmitJobRequest request() {
        String jobSpecJson = JOB_SPEC_JSON;
        SubmitJobRequest request = SubmitJobRequest.builder()
                .name("my-etl-job")
                .team("data-infra")
                .user("user@doordash.com")
                .config(SparkJobConfig.builder()
                        .sparkVersion("3.5")
                        .jobType("BATCH")
                        .coreEtl(CoreETLConfig.builder()
                                .version("2.7.0")
                                .jobSpec(jobSpecJson)
                                .build())
                        .resources(ResourceConfig.builder()
                                .driver(DriverConfig.builder().cores(2).memory("4g").build())
                                .executor(ExecutorConfig.builder().instances(5).cores(4).memory("8g").build())
                                .build())
                        .build())
                .build();
        return request;
    }

    /** A small CoreETL job named {@code name} for user@doordash.com of data-infra. */
    static SubmitJobRequest smallJob(String name) {
        return SubmitJobRequest.builder()
                .name(name)
                .team("data-infra")
                .user("user@doordash.com")
                .config(SparkJobConfig.builder()
                        .sparkVersion("3.5")
                        // A sink of its own: a driver cancelled while it creates a table can leave that table
                        // half-made in the embedded hadoop catalog, which would break the seed example's sink.
                        .coreEtl(CoreETLConfig.builder().version("2.7.0")
                                .jobSpec(JOB_SPEC_JSON.replace("\"orders\"", "\"" + name.replaceAll("[^A-Za-z0-9_]", "_") + "\""))
                                .build())
                        .resources(ResourceConfig.builder()
                                .driver(DriverConfig.builder().cores(1).memory("1g").build())
                                .build())
                        .build())
                .build();
    }
}
