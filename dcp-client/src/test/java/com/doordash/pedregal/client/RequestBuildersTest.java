package com.doordash.pedregal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

final class RequestBuildersTest {
    @Test
    void seedExampleBuilds() {
        SubmitJobRequest request = SeedExample.request();

        assertThat(request.getName()).isEqualTo("my-etl-job");
        assertThat(request.getConfig().getJobType()).hasValue("BATCH");
        assertThat(request.getConfig().getCoreEtl().orElseThrow().getJobSpec()).isEqualTo(SeedExample.JOB_SPEC_JSON);
        assertThat(request.getConfig().getResources().orElseThrow().getExecutor().orElseThrow().getInstances()).hasValue(5);
        assertThat(request.getIdempotencyKey()).isEmpty();
        assertThat(request).isEqualTo(SeedExample.request()).hasSameHashCodeAs(SeedExample.request());
    }

    @Test
    void driverRejectsEachBadValueWhenSet() {
        assertRejected(() -> DriverConfig.builder().cores(0), "driver.cores: 0 (expected: >= 1)");
        assertRejected(() -> DriverConfig.builder().memory("8x"), "driver.memory: \"8x\" (expected: a size like 512m or 8g)");
        assertRejected(() -> DriverConfig.builder().memory(null), "driver.memory: null (expected: a size like 512m or 8g)");
        assertRejected(() -> DriverConfig.builder().memoryOverhead("0g"),
                "driver.memoryOverhead: \"0g\" (expected: a size like 512m or 8g)");
    }

    @Test
    void executorRejectsEachBadValueWhenSet() {
        assertRejected(() -> ExecutorConfig.builder().instances(-1), "executor.instances: -1 (expected: >= 0)");
        assertRejected(() -> ExecutorConfig.builder().cores(0), "executor.cores: 0 (expected: >= 1)");
        assertRejected(() -> ExecutorConfig.builder().memory("8x"), "executor.memory: \"8x\" (expected: a size like 512m or 8g)");
        assertRejected(() -> ExecutorConfig.builder().memoryOverhead(""),
                "executor.memoryOverhead: \"\" (expected: a size like 512m or 8g)");
        assertThat(ExecutorConfig.builder().instances(0).memory("512M").build().getMemory()).hasValue("512M");
    }

    @Test
    void resourcesRejectEachBadValueWhenSet() {
        assertRejected(() -> ResourceConfig.builder().driver(null), "resources.driver: null (expected: a DriverConfig)");
        assertRejected(() -> ResourceConfig.builder().executor(null), "resources.executor: null (expected: an ExecutorConfig)");
        assertRejected(() -> ResourceConfig.builder().minExecutors(-1), "resources.minExecutors: -1 (expected: >= 0)");
        assertRejected(() -> ResourceConfig.builder().maxExecutors(-2), "resources.maxExecutors: -2 (expected: >= 0)");
        assertRejected(() -> ResourceConfig.builder().minExecutors(5).maxExecutors(2),
                "resources.maxExecutors: 2 (expected: >= resources.minExecutors, 5)");
        assertRejected(() -> ResourceConfig.builder().maxExecutors(2).minExecutors(5),
                "resources.minExecutors: 5 (expected: <= resources.maxExecutors, 2)");
    }

    @Test
    void dynamicAllocationNeedsMaxExecutorsAtBuild() {
        assertThatThrownBy(() -> ResourceConfig.builder().dynamicAllocation().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("resources.maxExecutors: not set (expected: >= 1 with dynamicAllocation())");
        assertThatThrownBy(() -> ResourceConfig.builder().dynamicAllocation().maxExecutors(0).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("resources.maxExecutors: 0 (expected: >= 1 with dynamicAllocation())");
        ResourceConfig resources = ResourceConfig.builder().dynamicAllocation().minExecutors(1).maxExecutors(4).build();
        assertThat(resources.isDynamicAllocation()).isTrue();
        assertThat(resources.getMaxExecutors()).hasValue(4);
    }

    @Test
    void sparkJobConfigRejectsEachBadValueWhenSet() {
        assertRejected(() -> SparkJobConfig.builder().sparkVersion(" "), "config.sparkVersion: \" \" (expected: a non-blank string)");
        assertRejected(() -> SparkJobConfig.builder().jobType("MICRO"), "config.jobType: \"MICRO\" (expected: BATCH or STREAMING)");
        assertRejected(() -> SparkJobConfig.builder().jobType(null), "config.jobType: null (expected: BATCH or STREAMING)");
        assertRejected(() -> SparkJobConfig.builder().coreEtl(null), "config.coreEtl: null (expected: a CoreETLConfig)");
        assertRejected(() -> SparkJobConfig.builder().resources(null), "config.resources: null (expected: a ResourceConfig)");
        assertRejected(() -> SparkJobConfig.builder().sparkConfig("executor.memory", "1g"),
                "config.sparkConfig: \"executor.memory\" (expected: a Spark property name starting with \"spark.\")");
        assertRejected(() -> SparkJobConfig.builder().sparkConfig("spark.sql.shuffle.partitions", null),
                "config.sparkConfig[\"spark.sql.shuffle.partitions\"]: null (expected: a string)");
        Map<String, String> withNullKey = new HashMap<>();
        withNullKey.put(null, "x");
        assertRejected(() -> SparkJobConfig.builder().sparkConfig(withNullKey),
                "config.sparkConfig: null (expected: a Spark property name starting with \"spark.\")");
        assertRejected(() -> SparkJobConfig.builder().envVar("1BAD", "x"),
                "config.envVars: \"1BAD\" (expected: an environment variable name of letters, digits and '_', not starting with a digit)");
        assertRejected(() -> SparkJobConfig.builder().envVars(Map.of("A-B", "x")),
                "config.envVars: \"A-B\" (expected: an environment variable name of letters, digits and '_', not starting with a digit)");
    }

    @Test
    void jobTypeIgnoresCase() {
        SparkJobConfig config = SparkJobConfig.builder().sparkVersion("3.5").jobType("streaming")
                .customJar(CustomJarConfig.builder().jarPath("/jobs/app.jar").mainClass("com.example.App").build())
                .build();

        assertThat(config.getJobType()).hasValue("STREAMING");
    }

    @Test
    void coreEtlAndCustomJarExcludeEachOther() {
        CoreETLConfig coreEtl = CoreETLConfig.builder().jobSpec(SeedExample.JOB_SPEC_JSON).build();
        CustomJarConfig jar = CustomJarConfig.builder().jarPath("/jobs/app.jar").mainClass("com.example.App").build();

        assertRejected(() -> SparkJobConfig.builder().coreEtl(coreEtl).customJar(jar),
                "config.customJar: set while config.coreEtl is set (expected: either coreEtl or customJar, not both)");
        assertRejected(() -> SparkJobConfig.builder().customJar(jar).coreEtl(coreEtl),
                "config.coreEtl: set while config.customJar is set (expected: either coreEtl or customJar, not both)");
    }

    @Test
    void coreEtlRejectsEachBadValueWhenSet() {
        assertRejected(() -> CoreETLConfig.builder().version(""), "coreEtl.version: \"\" (expected: a non-blank string)");
        assertRejected(() -> CoreETLConfig.builder().jobSpec(null), "coreEtl.jobSpec: null (expected: a non-blank string)");
    }

    @Test
    void malformedJobSpecIsReportedAtBuild() {
        CoreETLConfig.Builder builder = CoreETLConfig.builder().version("2.7.0").jobSpec("{\"sources\": [}");

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("coreEtl.jobSpec: malformed JSON at line 1, column 14: Unexpected close marker '}': expected ']'"
                        + " (expected: JSON text holding an object)");
        assertThatThrownBy(() -> CoreETLConfig.builder().jobSpec("[1, 2]").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("coreEtl.jobSpec: a JSON array (expected: JSON text holding an object)");
        assertThatThrownBy(() -> CoreETLConfig.builder().jobSpec("{} {}").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("coreEtl.jobSpec: malformed JSON at line 1, column 4: Trailing token");
    }

    @Test
    void customJarRejectsEachBadValueWhenSet() {
        assertRejected(() -> CustomJarConfig.builder().jarPath(" "), "customJar.jarPath: \" \" (expected: a non-blank string)");
        assertRejected(() -> CustomJarConfig.builder().mainClass(null), "customJar.mainClass: null (expected: a non-blank string)");
        assertRejected(() -> CustomJarConfig.builder().args(Arrays.asList("--date", null)),
                "customJar.args[1]: null (expected: a string)");
        assertRejected(() -> CustomJarConfig.builder().args((List<String>) null), "customJar.args: null (expected: a list of strings)");
    }

    @Test
    void submitRequestRejectsEachBadValueWhenSet() {
        assertRejected(() -> SubmitJobRequest.builder().name(""), "name: \"\" (expected: a non-blank string)");
        assertRejected(() -> SubmitJobRequest.builder().team(null), "team: null (expected: a non-blank string)");
        assertRejected(() -> SubmitJobRequest.builder().user("\t"), "user: \"\t\" (expected: a non-blank string)");
        assertRejected(() -> SubmitJobRequest.builder().config(null), "config: null (expected: a SparkJobConfig)");
        assertRejected(() -> SubmitJobRequest.builder().idempotencyKey(" "), "idempotencyKey: \" \" (expected: a non-blank string)");
        assertRejected(() -> SubmitJobRequest.builder().callbackUrl("ftp://hooks.example.com/x"),
                "callbackUrl: \"ftp://hooks.example.com/x\" (expected: an http:// or https:// URL)");
        assertRejected(() -> SubmitJobRequest.builder().timeoutSeconds(0), "timeoutSeconds: 0 (expected: >= 1)");
    }

    @Test
    void longValuesAreShortenedInMessages() {
        String longName = " ".repeat(200);

        assertRejected(() -> SubmitJobRequest.builder().name(longName),
                "name: \"" + " ".repeat(120) + "…\" (expected: a non-blank string)");
    }

    @Test
    void listRequestRejectsEachBadValueWhenSet() {
        assertRejected(() -> ListJobsRequest.builder().pageSize(0), "pageSize: 0 (expected: >= 1)");
        assertRejected(() -> ListJobsRequest.builder().status(JobState.UNKNOWN),
                "status: UNKNOWN (expected: a known JobState such as RUNNING)");
        assertRejected(() -> ListJobsRequest.builder().team(""), "team: \"\" (expected: a non-blank string)");
    }

    @Test
    void missingRequiredValuesAreNamedAtBuild() {
        SparkJobConfig config = SeedExample.request().getConfig();

        assertMissing(() -> SubmitJobRequest.builder().team("t").user("u").config(config).build(),
                "name: not set (expected: a non-blank string)");
        assertMissing(() -> SubmitJobRequest.builder().name("n").user("u").config(config).build(),
                "team: not set (expected: a non-blank string)");
        assertMissing(() -> SubmitJobRequest.builder().name("n").team("t").config(config).build(),
                "user: not set (expected: a non-blank string)");
        assertMissing(() -> SubmitJobRequest.builder().name("n").team("t").user("u").build(),
                "config: not set (expected: a SparkJobConfig)");
        assertMissing(() -> SparkJobConfig.builder().coreEtl(config.getCoreEtl().orElseThrow()).build(),
                "config.sparkVersion: not set (expected: a Spark version such as 3.5)");
        assertMissing(() -> SparkJobConfig.builder().sparkVersion("3.5").build(),
                "config.coreEtl: not set (expected: a CoreETLConfig, or a CustomJarConfig in customJar)");
        assertMissing(() -> CoreETLConfig.builder().version("2.7.0").build(),
                "coreEtl.jobSpec: not set (expected: JSON text holding an object)");
        assertMissing(() -> CustomJarConfig.builder().mainClass("com.example.App").build(),
                "customJar.jarPath: not set (expected: a non-blank string)");
        assertMissing(() -> CustomJarConfig.builder().jarPath("/jobs/app.jar").build(),
                "customJar.mainClass: not set (expected: a non-blank string)");
        assertMissing(() -> DCPSparkClient.builder().build(), "baseUrl: not set (expected: an http:// or https:// URL)");
    }

    @Test
    void clientBuilderRejectsEachBadValueWhenSet() {
        assertRejected(() -> DCPSparkClient.builder().baseUrl("localhost:8080"),
                "baseUrl: \"localhost:8080\" (expected: an http:// or https:// URL such as http://localhost:8080)");
        assertRejected(() -> DCPSparkClient.builder().maxRetries(-1), "maxRetries: -1 (expected: >= 0)");
        assertRejected(() -> DCPSparkClient.builder().connectTimeout(java.time.Duration.ZERO),
                "connectTimeout: PT0S (expected: a positive duration)");
        assertRejected(() -> DCPSparkClient.builder().requestTimeout(null), "requestTimeout: null (expected: a positive duration)");
        assertRejected(() -> DCPSparkClient.builder().initialBackoff(java.time.Duration.ofMillis(-1)),
                "initialBackoff: PT-0.001S (expected: a duration >= 0)");
        assertRejected(() -> DCPSparkClient.builder().token(" "), "token: blank (expected: a non-blank token)");
        assertRejected(() -> new DCPSparkClient("http://"),
                "baseUrl: \"http://\" (expected: an http:// or https:// URL such as http://localhost:8080)");
    }

    @Test
    void requestValuesAreImmutable() {
        Map<String, String> sparkConfig = new HashMap<>(Map.of("spark.sql.shuffle.partitions", "8"));
        SparkJobConfig config = SparkJobConfig.builder().sparkVersion("3.5").sparkConfig(sparkConfig)
                .coreEtl(CoreETLConfig.builder().jobSpec(SeedExample.JOB_SPEC_JSON).build()).build();
        sparkConfig.put("spark.sql.adaptive.enabled", "false");

        assertThat(config.getSparkConfig()).containsExactly(Map.entry("spark.sql.shuffle.partitions", "8"));
        assertThatThrownBy(() -> config.getSparkConfig().put("spark.x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    private static void assertRejected(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    private static void assertMissing(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalStateException.class).hasMessage(message);
    }
}
