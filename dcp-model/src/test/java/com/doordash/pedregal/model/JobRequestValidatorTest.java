package com.doordash.pedregal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.error.Violation;
import com.doordash.pedregal.model.json.Json;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class JobRequestValidatorTest {
    private final JobRequestValidator validator = new JobRequestValidator(Set.of("3.5"));

    @Test
    void seedExampleIsValid() {
        assertThat(validator.validate(read(SeedRequests.SEED_EXAMPLE))).isEmpty();
    }

    @Test
    void badSizeNamesFieldAndExpectedForm() {
        assertThat(violations("\"memory\": \"8g\"}", "\"memory\": \"8x\"}"))
                .containsExactly(new Violation("config.resources.executor.memory", "\"8x\" is not a size like 512m or 8g"));
    }

    @Test
    void negativeCountsAreRejected() {
        assertThat(violations("\"instances\": 5", "\"instances\": -1"))
                .containsExactly(new Violation("config.resources.executor.instances", "-1 is less than 0"));
        assertThat(violations("\"cores\": 2", "\"cores\": -1"))
                .containsExactly(new Violation("config.resources.driver.cores", "-1 is less than 1"));
    }

    @Test
    void zerosThePrototypesClientsSendForUnsetFieldsMeanTheDefaults() {
        String zeros = SeedRequests.SEED_EXAMPLE.replace("\"driver\": {\"cores\": 2, \"memory\": \"4g\"}",
                "\"driver\": {\"cores\": 0, \"memory\": \"\", \"memory_overhead\": \"\"}");
        SubmitJobRequest request = read(zeros);

        assertThat(validator.validate(request)).isEmpty();
        assertThat(request.config().resources().driver()).isEqualTo(new DriverConfig(null, null, null));
    }

    @Test
    void countsBeyondAnyMachineAreRefusedBeforeTheyReachABackend() {
        assertThat(violations("\"instances\": 5", "\"instances\": 2147483647"))
                .containsExactly(new Violation("config.resources.executor.instances", "2147483647 is more than 10000"));
        assertThat(violations("\"cores\": 2", "\"cores\": 2147483647"))
                .containsExactly(new Violation("config.resources.driver.cores", "2147483647 is more than 1024"));
    }

    @Test
    void aSizeThatWouldOverflowIsRefusedWithTheLargestAccepted() {
        assertThat(violations("\"memory\": \"8g\"}", "\"memory\": \"17179869185g\"}"))
                .containsExactly(new Violation("config.resources.executor.memory",
                        "\"17179869185g\" is more than 1024t, the largest size accepted"));
    }

    @Test
    void anEnvironmentValueWithNulIsRefusedAndShownEscaped() {
        String body = SeedRequests.SEED_EXAMPLE.replace("\"resources\":", "\"env_vars\": {\"GREETING\": \"hi\\u0000there\",\n"
                + " \"CERT\": \"line1\\nline2\"}, \"resources\":");

        assertThat(validator.validate(read(body))).containsExactly(new Violation("config.env_vars[\"GREETING\"]",
                "the value holds the control character \\u0000 (NUL), which no process can receive"));
    }

    @Test
    void sparkConfigKeysWithControlCharactersAreShownEscapedAndTooManyEntriesAreRefused() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= JobRequestValidator.MAX_SPARK_CONFIG_ENTRIES; i++) {
            many.append("\"spark.sql.x").append(i).append("\": \"1\", ");
        }
        String body = SeedRequests.SEED_EXAMPLE.replace("\"resources\":", "\"spark_config\": {" + many
                + "\"spark.sql.a\\nb\": \"1\"}, \"resources\":");

        assertThat(validator.validate(read(body))).containsExactly(
                new Violation("config.spark_config", "258 entries is more than 256"),
                new Violation("config.spark_config[\"spark.sql.a\\u000ab\"]", "the name holds a control character"));
    }

    @Test
    void aCustomJarMustBeAJarFileAndItsArgumentsHoldNoNul() {
        String body = """
                {"name": "j", "team": "data-infra", "user": "u", "config": {"spark_version": "3.5",
                 "custom_jar": {"jar_path": "/etc/passwd", "main_class": "a.B", "args": ["ok", "x\\u0000y"]}}}
                """;

        assertThat(validator.validate(read(body))).containsExactly(
                new Violation("config.custom_jar.jar_path", "\"/etc/passwd\" is not a .jar file"),
                new Violation("config.custom_jar.args[1]",
                        "the value holds the control character \\u0000 (NUL), which no process can receive"));
    }

    @Test
    void unknownSparkVersionListsSupportedOnes() {
        assertThat(violations("\"spark_version\": \"3.5\"", "\"spark_version\": \"2.4\""))
                .containsExactly(new Violation("config.spark_version", "\"2.4\" is not supported (supported: 3.5)"));
    }

    @Test
    void missingRequiredFieldsAreAllReported() {
        SubmitJobRequest request = Json.read("{\"config\": {\"core_etl\": {\"job_spec\": {}}}}", SubmitJobRequest.class);

        assertThat(validator.validate(request)).extracting(Violation::field).containsExactly(
                "name", "team", "user", "config.spark_version",
                "config.core_etl.job_spec.sources", "config.core_etl.job_spec.sinks");
    }

    @Test
    void specProblemsCarryTheirIndex() {
        String body = SeedRequests.SEED_EXAMPLE
                .replace("\"table\": \"orders\"}", "\"table\": \"orders\", \"mode\": \"overwrite\", \"partition_by\": [\"days(ts)\", \"1bad\"]}")
                .replace("\"type\": \"sql\"", "\"type\": \"python\"");

        assertThat(validator.validate(read(body))).containsExactly(
                new Violation("config.core_etl.job_spec.transformations[0].type", "\"python\" is not supported (supported: sql)"),
                new Violation("config.core_etl.job_spec.sinks[0].partition_by[1]",
                        "\"1bad\" is not a column or a transform like days(ts), bucket(16, id)"));
    }

    @Test
    void duplicateViewNamesAcrossSourcesAndTransformationsAreRejected() {
        String body = SeedRequests.SEED_EXAMPLE.replace(
                "\"sources\": [{\"type\": \"iceberg\", \"catalog\": \"pedregal\", \"database\": \"raw\", \"table\": \"events\"}]",
                "\"sources\": [{\"type\": \"iceberg\", \"catalog\": \"pedregal\", \"database\": \"raw\", \"table\": \"events\"},"
                        + "{\"type\": \"iceberg\", \"catalog\": \"pedregal\", \"database\": \"other\", \"table\": \"events\"}]");

        assertThat(validator.validate(read(body))).containsExactly(new Violation(
                "config.core_etl.job_spec.sources[1].table", "the view name \"events\" is already taken by sources[0]"));
    }

    @Test
    void platformOwnedSparkPropertiesCannotBeOverridden() {
        String body = SeedRequests.SEED_EXAMPLE.replace("\"job_type\": \"BATCH\",",
                "\"job_type\": \"BATCH\", \"spark_config\": {\"spark.master\": \"yarn\", \"spark.sql.shuffle.partitions\": \"8\", \"foo\": \"1\"},"
                        + " \"env_vars\": {\"1X\": \"y\", \"OK_NAME\": \"z\"},");

        assertThat(validator.validate(read(body))).containsExactly(
                new Violation("config.spark_config[\"spark.master\"]", "is set by the platform and cannot be overridden"),
                new Violation("config.spark_config[\"foo\"]", "is not a Spark property (keys start with \"spark.\")"),
                new Violation("config.env_vars[\"1X\"]",
                        "is not an environment variable name (letters, digits and '_', not starting with a digit)"));
    }


    @Test
    void jobsCannotPointTheS3FileSystemsElsewhere() {
        // Per-bucket endpoints or another provider would send requests signed with the platform's S3 credentials there.
        String body = SeedRequests.SEED_EXAMPLE.replace("\"job_type\": \"BATCH\",",
                "\"job_type\": \"BATCH\", \"spark_config\": {"
                        + "\"spark.hadoop.fs.s3a.bucket.tables.endpoint\": \"http://attacker.example\","
                        + "\"spark.hadoop.fs.s3a.aws.credentials.provider\": \"com.example.Leak\","
                        + "\"spark.hadoop.fs.s3.impl\": \"com.example.Fs\","
                        + "\"spark.hadoop.fs.AbstractFileSystem.s3a.impl\": \"com.example.Fs\","
                        + "\"spark.hadoop.fs.gs.project.id\": \"mine\"},");

        assertThat(validator.validate(read(body))).extracting(Violation::field).containsExactlyInAnyOrder(
                "config.spark_config[\"spark.hadoop.fs.s3a.bucket.tables.endpoint\"]",
                "config.spark_config[\"spark.hadoop.fs.s3a.aws.credentials.provider\"]",
                "config.spark_config[\"spark.hadoop.fs.s3.impl\"]",
                "config.spark_config[\"spark.hadoop.fs.AbstractFileSystem.s3a.impl\"]");
    }
    @Test
    void dynamicAllocationNeedsMaxExecutorsButZerosAreValidWithoutIt() {
        String off = SeedRequests.SEED_EXAMPLE.replace("\"resources\": {",
                "\"resources\": {\"dynamic_allocation\": false, \"min_executors\": 0, \"max_executors\": 0,");
        String on = SeedRequests.SEED_EXAMPLE.replace("\"resources\": {",
                "\"resources\": {\"dynamic_allocation\": true, \"min_executors\": 3, \"max_executors\": 2,");

        assertThat(validator.validate(read(off))).isEmpty();
        assertThat(validator.validate(read(on))).containsExactly(
                new Violation("config.resources.min_executors", "3 is more than max_executors (2)"));
    }

    @Test
    void dynamicAllocationUnderTheExecutorAsThePrototypesClientsSendItIsTheJobsDynamicAllocation() {
        String executorLevel = SeedRequests.SEED_EXAMPLE.replace("\"executor\": {",
                "\"executor\": {\"dynamic_allocation\": true, \"min_executors\": 2, \"max_executors\": 10,");
        SubmitJobRequest request = read(executorLevel);

        assertThat(validator.validate(request)).isEmpty();
        assertThat(request.config().resources().dynamicAllocationEnabled()).isTrue();
        assertThat(request.config().resources().effectiveMinExecutors()).isEqualTo(2);
        assertThat(request.config().resources().effectiveMaxExecutors()).isEqualTo(10);
    }

    @Test
    void executorLevelZerosTheJavaClientAlwaysSendsMeanDynamicAllocationIsOff() {
        String javaClient = SeedRequests.SEED_EXAMPLE.replace("\"executor\": {",
                "\"executor\": {\"dynamic_allocation\": false, \"min_executors\": 0, \"max_executors\": 0,");
        SubmitJobRequest request = read(javaClient);

        assertThat(validator.validate(request)).isEmpty();
        assertThat(request.config().resources().dynamicAllocationEnabled()).isFalse();
    }

    @Test
    void executorLevelDynamicAllocationProblemsNameTheExecutorField() {
        String noMax = SeedRequests.SEED_EXAMPLE.replace("\"executor\": {", "\"executor\": {\"dynamic_allocation\": true,");
        String minAboveMax = SeedRequests.SEED_EXAMPLE.replace("\"executor\": {",
                "\"executor\": {\"dynamic_allocation\": true, \"min_executors\": 3, \"max_executors\": 2,");

        assertThat(validator.validate(read(noMax))).containsExactly(
                new Violation("config.resources.executor.max_executors", "must be at least 1 when dynamic_allocation is true"));
        assertThat(validator.validate(read(minAboveMax))).containsExactly(
                new Violation("config.resources.executor.min_executors", "3 is more than max_executors (2)"));
    }

    @Test
    void differentValuesInTheExecutorAndItsResourcesAliasAreRefused() {
        String both = SeedRequests.SEED_EXAMPLE
                .replace("\"resources\": {", "\"resources\": {\"dynamic_allocation\": true, \"max_executors\": 8,")
                .replace("\"executor\": {", "\"executor\": {\"dynamic_allocation\": true, \"max_executors\": 4,");
        String same = SeedRequests.SEED_EXAMPLE
                .replace("\"resources\": {", "\"resources\": {\"dynamic_allocation\": true, \"max_executors\": 4,")
                .replace("\"executor\": {", "\"executor\": {\"dynamic_allocation\": true, \"max_executors\": 4,");

        assertThat(validator.validate(read(both))).containsExactly(new Violation("config.resources.executor.max_executors",
                "4 differs from config.resources.max_executors (8); set it in one place (resources.max_executors is an alias)"));
        assertThat(validator.validate(read(same))).isEmpty();
    }

    @Test
    void checkThrowsWithEveryProblemAndTheFirstField() {
        SubmitJobRequest request = read(SeedRequests.SEED_EXAMPLE.replace("\"my-job\"", "\"\"").replace("\"4g\"", "\"lots\""));

        assertThatThrownBy(() -> validator.check(request))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).contains("name");
                    assertThat(e.violations()).hasSize(2);
                    assertThat(e.getMessage()).isEqualTo("name: \"\" is not valid (expected letters, digits, '.', '_' or '-', "
                            + "at most 128, starting with a letter or digit); "
                            + "config.resources.driver.memory: \"lots\" is not a size like 512m or 8g");
                });
    }

    private List<Violation> violations(String from, String to) {
        assertThat(SeedRequests.SEED_EXAMPLE).contains(from);
        return validator.validate(read(SeedRequests.SEED_EXAMPLE.replace(from, to)));
    }

    private static SubmitJobRequest read(String body) {
        return Json.read(body, SubmitJobRequest.class);
    }
}
