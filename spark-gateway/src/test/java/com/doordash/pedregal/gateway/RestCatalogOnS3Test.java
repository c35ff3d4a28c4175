package com.doordash.pedregal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.gateway.testing.RestCatalogServer;
import com.doordash.pedregal.model.driver.DriverClasses;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An Iceberg REST catalog server (Iceberg's own REST servlet, over a JDBC catalog on this machine's PostgreSQL) in front
 * of a warehouse on S3: drivers speak the protocol that Polaris, Unity Catalog, Nessie, Gravitino and Glue speak.
 */
final class RestCatalogOnS3Test extends SharedCatalogFixture {
    private RestCatalogServer server;

    @Override
    void startCatalog() {
        server = RestCatalogServer.start(dataDir, Map.of(
                "uri", POSTGRES + database,
                "jdbc.user", "postgres",
                "warehouse", "s3://" + BUCKET + "/warehouse",
                "io-impl", "org.apache.iceberg.aws.s3.S3FileIO",
                "s3.endpoint", s3.endpoint().toString(),
                "s3.path-style-access", "true",
                "client.region", "us-east-1",
                "s3.access-key-id", s3.accessKey(),
                "s3.secret-access-key", s3.secretKey()));
    }

    @Override
    void stopCatalog() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    Map<String, String> catalogSettings() {
        return Map.of("gateway.catalog.type", "rest", "gateway.catalog.uri", server.uri());
    }

    @Test
    void aLocalDriverWritesThroughTheRestCatalogWhatADockerDriverReads() {
        succeed("local", Application.platformTool(DriverClasses.DEMO_DATA_MAIN, List.of()));
        String counts = table("rest_counts");

        succeed("local", Application.coreEtl(seedJob("raw", "events", counts)));

        assertThat(query("docker", "SELECT count(*) AS n, sum(events) AS events FROM pedregal.derived." + counts))
                .contains("ROW 0 {\"n\":5,\"events\":10000}");
    }
}
