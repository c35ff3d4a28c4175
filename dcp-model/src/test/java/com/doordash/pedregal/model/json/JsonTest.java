package com.doordash.pedregal.model.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.model.JobType;
import com.doordash.pedregal.model.SeedRequests;
import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.spec.SinkMode;
import org.junit.jupiter.api.Test;

final class JsonTest {
    @Test
    void readsTheSeedCurlExample() {
        SubmitJobRequest request = Json.read(SeedRequests.SEED_EXAMPLE, SubmitJobRequest.class);

        assertThat(request.name()).isEqualTo("my-job");
        assertThat(request.config().jobType()).isEqualTo(JobType.BATCH);
        assertThat(request.config().coreEtl().version()).isEqualTo("2.7.0");
        assertThat(request.config().coreEtl().jobSpec().sources().get(0).qualifiedName()).isEqualTo("pedregal.raw.events");
        assertThat(request.config().coreEtl().jobSpec().transformations().get(0).query())
                .isEqualTo("SELECT * FROM source WHERE event_type = 'order'");
        assertThat(request.config().coreEtl().jobSpec().sinks().get(0).effectiveMode()).isEqualTo(SinkMode.APPEND);
        assertThat(request.config().resources().executor().memory()).isEqualTo("8g");
    }

    @Test
    void readsJobSpecGivenAsAStringHoldingJson() {
        String body = """
                {"name": "j", "team": "t", "user": "u", "config": {"spark_version": "3.5", "core_etl": {"version": "2.7.0",
                 "job_spec": "{\\"sources\\":[{\\"type\\":\\"iceberg\\",\\"catalog\\":\\"pedregal\\",\\"database\\":\\"raw\\",\\"table\\":\\"events\\"}],\\"sinks\\":[]}"}}}
                """;

        SubmitJobRequest request = Json.read(body, SubmitJobRequest.class);

        assertThat(request.config().coreEtl().jobSpec().sources().get(0).table()).isEqualTo("events");
    }

    @Test
    void unknownFieldInsideAStringJobSpecIsReportedWithItsFullPath() {
        String body = """
                {"name": "j", "team": "t", "user": "u", "config": {"core_etl": {"job_spec": "{\\"sources\\":[{\\"tabel\\":\\"x\\"}]}"}}}
                """;

        assertThatThrownBy(() -> Json.read(body, SubmitJobRequest.class))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).contains("config.core_etl.job_spec.sources[0].tabel");
                    assertThat(e.getMessage()).contains("unknown field");
                });
    }

    @Test
    void jobSpecStringThatIsNotJsonIsReportedAtJobSpec() {
        String body = """
                {"name": "j", "team": "t", "user": "u", "config": {"core_etl": {"job_spec": "{not json"}}}
                """;

        assertThatThrownBy(() -> Json.read(body, SubmitJobRequest.class))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).contains("config.core_etl.job_spec");
                    assertThat(e.getMessage()).contains("is a string but not valid JSON");
                });
    }

    @Test
    void unknownFieldIsReportedWithPathAndKnownFields() {
        String body = """
                {"name": "j", "team": "t", "user": "u", "config": {"resources": {"driver": {"cores": 1, "mem": "1g"}}}}
                """;

        assertThatThrownBy(() -> Json.read(body, SubmitJobRequest.class))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).contains("config.resources.driver.mem");
                    assertThat(e.getMessage()).isEqualTo(
                            "config.resources.driver.mem: unknown field (expected one of: cores, memory, memory_overhead)");
                });
    }

    @Test
    void wrongTypeIsReportedWithPath() {
        String body = """
                {"name": "j", "team": "t", "user": "u", "config": {"resources": {"executor": {"instances": "five"}}}}
                """;

        assertThatThrownBy(() -> Json.read(body, SubmitJobRequest.class))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).contains("config.resources.executor.instances");
                    assertThat(e.getMessage()).isEqualTo("config.resources.executor.instances: expected an integer");
                });
    }

    @Test
    void unknownJobTypeListsTheValidOnes() {
        String body = """
                {"name": "j", "team": "t", "user": "u", "config": {"job_type": "HOURLY"}}
                """;

        assertThatThrownBy(() -> Json.read(body, SubmitJobRequest.class))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).contains("config.job_type");
                    assertThat(e.getMessage()).contains("\"HOURLY\" is not a job type (expected one of: BATCH, STREAMING)");
                });
    }

    @Test
    void malformedJsonSaysWhere() {
        assertThatThrownBy(() -> Json.read("{\"name\": ", SubmitJobRequest.class))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getMessage()).contains("malformed JSON at line 1"));
    }

    @Test
    void emptyBodyIsRejected() {
        assertThatThrownBy(() -> Json.read("  ", SubmitJobRequest.class))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("the request body is empty; expected a JSON object");
    }

    @Test
    void writesSnakeCaseAndOmitsNulls() {
        SubmitJobRequest request = Json.read(SeedRequests.SEED_EXAMPLE, SubmitJobRequest.class);

        String json = Json.write(request);

        assertThat(json).contains("\"spark_version\":\"3.5\"", "\"job_spec\":{\"sources\"", "\"core_etl\"")
                .doesNotContain("null", "memory_overhead");
        assertThat(Json.read(json, SubmitJobRequest.class)).isEqualTo(request);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "\"name\": 123                                                 | name                            | expected a string",
            "\"name\": true                                                | name                            | expected a string",
            "\"config\": {\"spark_version\": 3.5}                          | config.spark_version            | expected a string",
            "\"config\": {\"resources\": {\"driver\": {\"cores\": 2.5}}}   | config.resources.driver.cores   | expected an integer",
            "\"config\": {\"resources\": {\"driver\": {\"cores\": \"2\"}}} | config.resources.driver.cores   | expected an integer",
            "\"config\": {\"resources\": {\"dynamic_allocation\": \"true\"}} | config.resources.dynamic_allocation | expected true or false",
            "\"config\": {\"resources\": {\"dynamic_allocation\": 1}}     | config.resources.dynamic_allocation | expected true or false",
            "\"config\": {\"spark_config\": {\"spark.sql.shuffle.partitions\": 8}} | config.spark_config.spark.sql.shuffle.partitions | expected a string",
            "\"timeout_seconds\": 1.5                                       | timeout_seconds                 | expected an integer",
            "\"config\": {\"job_type\": 0}                                 | config.job_type                 | is not a job type"})
    void aValueOfTheWrongJsonTypeIsRefusedNotCoerced(String field, String path, String expected) {
        String body = "{\"team\": \"t\", \"user\": \"u\", " + field + "}";

        assertThatThrownBy(() -> Json.read(body, SubmitJobRequest.class))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).contains(path);
                    assertThat(e.getMessage()).contains(expected);
                });
    }
}
