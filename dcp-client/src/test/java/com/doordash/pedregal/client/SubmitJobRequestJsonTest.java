package com.doordash.pedregal.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.model.JobRequestValidator;
import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class SubmitJobRequestJsonTest {
    @Test
    void seedExampleSerializesToExactlyTheRestJson() throws IOException {
        assertThat(json(SeedExample.request())).isEqualTo(tree(SeedExample.REST_JSON));
    }

    @Test
    void seedExampleIsAValidRequestOfTheModel() {
        com.doordash.pedregal.model.SubmitJobRequest model =
                Json.read(Json.write(WireFormat.submitRequest(SeedExample.request())), com.doordash.pedregal.model.SubmitJobRequest.class);

        assertThat(new JobRequestValidator(Set.of("3.5")).validate(model)).isEmpty();
        assertThat(model.config().coreEtl().jobSpec().sinks().get(0).qualifiedName()).isEqualTo("pedregal.derived.orders");
    }

    @Test
    void everyOptionalValueIsWrittenInSnakeCase() throws IOException {
        SubmitJobRequest request = SubmitJobRequest.builder()
                .name("nightly").team("data-infra").user("user@doordash.com")
                .idempotencyKey("nightly-2024-01-15")
                .callbackUrl("https://hooks.example.com/dcp")
                .timeoutSeconds(3600)
                .config(SparkJobConfig.builder()
                        .sparkVersion("3.5")
                        .coreEtl(CoreETLConfig.builder().jobSpec(SeedExample.JOB_SPEC_JSON).build())
                        .resources(ResourceConfig.builder()
                                .driver(DriverConfig.builder().cores(1).memory("2g").memoryOverhead("512m").build())
                                .executor(ExecutorConfig.builder().instances(0).cores(2).memory("4g").memoryOverhead("1g").build())
                                .dynamicAllocation().minExecutors(0).maxExecutors(8)
                                .build())
                        .sparkConfig("spark.sql.shuffle.partitions", "16")
                        .envVars(java.util.Map.of("REGION", "us-west-2"))
                        .envVar("LOG_LEVEL", "debug")
                        .build())
                .build();

        assertThat(json(request)).isEqualTo(tree("""
                {"name": "nightly", "team": "data-infra", "user": "user@doordash.com",
                 "config": {"spark_version": "3.5",
                  "core_etl": {"job_spec": %s},
                  "resources": {"driver": {"cores": 1, "memory": "2g", "memory_overhead": "512m"},
                                "executor": {"instances": 0, "cores": 2, "memory": "4g", "memory_overhead": "1g"},
                                "dynamic_allocation": true, "min_executors": 0, "max_executors": 8},
                  "spark_config": {"spark.sql.shuffle.partitions": "16"},
                  "env_vars": {"REGION": "us-west-2", "LOG_LEVEL": "debug"}},
                 "idempotency_key": "nightly-2024-01-15", "callback_url": "https://hooks.example.com/dcp",
                 "timeout_seconds": 3600}
                """.formatted(SeedExample.JOB_SPEC_JSON)));
        assertThat(new JobRequestValidator(Set.of("3.5")).validate(
                Json.read(Json.write(WireFormat.submitRequest(request)), com.doordash.pedregal.model.SubmitJobRequest.class)))
                .isEmpty();
    }

    @Test
    void customJarIsWrittenInsteadOfCoreEtl() throws IOException {
        SubmitJobRequest request = SubmitJobRequest.builder()
                .name("my-app").team("data-infra").user("user@doordash.com")
                .config(SparkJobConfig.builder()
                        .sparkVersion("3.5")
                        .jobType("batch")
                        .customJar(CustomJarConfig.builder()
                                .jarPath("https://artifacts.example.com/my-app-1.0.jar")
                                .mainClass("com.example.MyApp")
                                .args("--date", "2024-01-15")
                                .build())
                        .build())
                .build();

        assertThat(json(request)).isEqualTo(tree("""
                {"name": "my-app", "team": "data-infra", "user": "user@doordash.com",
                 "config": {"spark_version": "3.5", "job_type": "BATCH",
                  "custom_jar": {"jar_path": "https://artifacts.example.com/my-app-1.0.jar",
                                 "main_class": "com.example.MyApp", "args": ["--date", "2024-01-15"]}}}
                """));
    }

    @Test
    void jobSpecIsSentAsTheObjectItHolds() throws IOException {
        String spec = "{\"sources\": [], \"options\": {\"added_in\": \"2.8.0\"}, \"n\": 1.50}";
        SubmitJobRequest request = SubmitJobRequest.builder().name("n").team("t").user("u")
                .config(SparkJobConfig.builder().sparkVersion("3.5")
                        .coreEtl(CoreETLConfig.builder().jobSpec(spec).build()).build())
                .build();

        assertThat(json(request).path("config").path("core_etl").path("job_spec")).isEqualTo(tree(spec));
    }

    private static JsonNode json(SubmitJobRequest request) throws IOException {
        return tree(Json.write(WireFormat.submitRequest(request)));
    }

    private static JsonNode tree(String json) throws IOException {
        return Json.mapper().readTree(json);
    }
}
