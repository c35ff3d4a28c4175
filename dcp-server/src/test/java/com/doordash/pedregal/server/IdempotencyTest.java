package com.doordash.pedregal.server;

import static com.doordash.pedregal.server.TestPlatform.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same idempotency key from the same team returns the same job, also after a restart. */
final class IdempotencyTest {
    @TempDir
    Path dataDir;

    @Test
    void sameKeyReturnsTheSameJobAcrossARestartAndADifferentBodyConflicts() {
        String body = withKey(TestPlatform.job("idempotent", "data-infra", "SELECT * FROM source", "idem"), "nightly-2026-11-21");
        String jobId;
        try (DcpServer first = TestPlatform.start(dataDir, Map.of("server.demo-data", "false"))) {
            TestPlatform.Response created = post(first, "/api/v1/jobs", body);
            TestPlatform.Response again = post(first, "/api/v1/jobs", body);

            assertThat(created.status()).isEqualTo(202);
            jobId = created.json().get("job_id").asText();
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.json().get("job_id").asText()).isEqualTo(jobId);
            assertThat(again.json().get("execution_id").asText()).isEqualTo(created.json().get("execution_id").asText());
        }

        try (DcpServer second = TestPlatform.start(dataDir, Map.of("server.demo-data", "false"))) {
            TestPlatform.Response afterRestart = post(second, "/api/v1/jobs", body);
            TestPlatform.Response otherBody = post(second, "/api/v1/jobs", body.replace("\"idem\"", "\"idem_other\""));

            assertThat(afterRestart.status()).isEqualTo(200);
            assertThat(afterRestart.json().get("job_id").asText()).isEqualTo(jobId);
            assertThat(otherBody.status()).isEqualTo(409);
            assertThat(otherBody.json().at("/error/code").asText()).isEqualTo("IDEMPOTENCY_CONFLICT");
            assertThat(otherBody.json().at("/error/field").asText()).isEqualTo("idempotency_key");
            assertThat(TestPlatform.get(second, "/api/v1/jobs?name_prefix=idempotent").json().get("jobs")).hasSize(1);
        }
    }

    static String withKey(String body, String key) {
        return body.replaceFirst("\\{", "{\"idempotency_key\": \"" + key + "\", ");
    }
}
