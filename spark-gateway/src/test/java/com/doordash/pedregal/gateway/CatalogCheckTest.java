package com.doordash.pedregal.gateway;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.gateway.testing.S3Server;
import com.doordash.pedregal.model.config.ConfigProperties;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-time check of the catalog and S3, against this machine's PostgreSQL and a real S3-compatible server. */
final class CatalogCheckTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    private static S3Server s3;

    @BeforeAll
    static void startS3() {
        s3 = S3Server.start(dir, "check-key", "check-secret", "tables");
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    private static CatalogConfig catalog(Map<String, String> values) {
        return CatalogConfig.from(new ConfigProperties(values), dir.resolve("warehouse"), Map.of());
    }

    private static Map<String, String> jdbcOnS3(String jdbcUrl, String endpoint, String bucket) {
        Map<String, String> values = new HashMap<>(Map.of(
                "gateway.catalog.type", "jdbc",
                "gateway.catalog.uri", jdbcUrl,
                "gateway.catalog.jdbc.user", "postgres",
                "gateway.catalog.warehouse", "s3://" + bucket + "/warehouse",
                "gateway.s3.endpoint", endpoint,
                "gateway.s3.path-style-access", "true"));
        return values;
    }

    @Test
    void aReachableJdbcCatalogAndS3BucketPass() {
        assertThatCode(() -> CatalogCheck.verify(catalog(jdbcOnS3("jdbc:postgresql://127.0.0.1:5432/test",
                s3.endpoint().toString(), "tables")), TIMEOUT)).doesNotThrowAnyException();
        assertThatCode(() -> CatalogCheck.verify(catalog(Map.of()), TIMEOUT)).doesNotThrowAnyException();
    }

    @Test
    void anUnreachableJdbcCatalogIsNamedWithItsKey() throws Exception {
        int closed = closedPort();

        assertThatThrownBy(() -> CatalogCheck.verify(catalog(jdbcOnS3("jdbc:postgresql://127.0.0.1:" + closed
                + "/test?password=in-url", s3.endpoint().toString(), "tables")), TIMEOUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("gateway.catalog.uri: the jdbc catalog at jdbc:postgresql://127.0.0.1:" + closed
                        + "/test?password=*** does not answer: ")
                .hasMessageNotContaining("in-url");
    }

    @Test
    void anUnreachableS3EndpointOrRestCatalogIsNamedWithItsKey() throws Exception {
        int closed = closedPort();

        assertThatThrownBy(() -> CatalogCheck.verify(catalog(jdbcOnS3("jdbc:postgresql://127.0.0.1:5432/test",
                "http://127.0.0.1:" + closed, "tables")), TIMEOUT))
                .hasMessageStartingWith("gateway.s3.endpoint: S3 at http://127.0.0.1:" + closed
                        + " (bucket tables) does not answer: ");
        assertThatThrownBy(() -> CatalogCheck.verify(catalog(Map.of("gateway.catalog.type", "rest",
                "gateway.catalog.uri", "http://127.0.0.1:" + closed)), TIMEOUT))
                .hasMessageStartingWith("gateway.catalog.uri: the rest catalog at http://127.0.0.1:" + closed
                        + " does not answer: ");
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
