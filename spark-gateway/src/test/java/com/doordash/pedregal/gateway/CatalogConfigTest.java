package com.doordash.pedregal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class CatalogConfigTest {
    private static final Path WAREHOUSE = Path.of("/tmp/dcp-data/warehouse");

    private static CatalogConfig read(Map<String, String> values, Map<String, String> environment) {
        return CatalogConfig.from(new ConfigProperties(values), WAREHOUSE, environment);
    }

    @Test
    void theEmbeddedDefaultIsAHadoopCatalogOnTheWarehouseDir() {
        CatalogConfig catalog = read(Map.of(), Map.of());

        assertThat(catalog.sparkConf()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "spark.sql.catalog.pedregal", "org.apache.iceberg.spark.SparkCatalog",
                "spark.sql.catalog.pedregal.type", "hadoop",
                "spark.sql.catalog.pedregal.warehouse", "file:///tmp/dcp-data/warehouse",
                "spark.redaction.regex", "(?i)secret|password|token|access[.]key|credential",
                // s3a:// and s3:// paths of other data: S3A with its own credential chain, AWS's endpoint
                "spark.hadoop.fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem",
                "spark.hadoop.fs.s3.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem",
                "spark.hadoop.fs.s3a.endpoint.region", "us-east-1",
                "spark.hadoop.fs.s3a.path.style.access", "false"));
        assertThat(catalog.localWarehouse()).contains(WAREHOUSE);
        assertThat(catalog.onS3()).isFalse();
    }

    @Test
    void aJdbcCatalogOnS3GivesDriversTheCatalogAndS3FileIoSettings() {
        CatalogConfig catalog = read(Map.of(
                "gateway.catalog.type", "jdbc",
                "gateway.catalog.uri", "jdbc:postgresql://127.0.0.1:5432/test",
                "gateway.catalog.warehouse", "s3://tables/wh",
                "gateway.catalog.jdbc.user", "postgres",
                "gateway.catalog.jdbc.password", "pg-secret",
                "gateway.s3.endpoint", "http://127.0.0.1:9000",
                "gateway.s3.path-style-access", "true"),
                Map.of("AWS_ACCESS_KEY_ID", "from-env", "AWS_SECRET_ACCESS_KEY", "env-secret"));

        assertThat(catalog.sparkConf()).containsAllEntriesOf(Map.of(
                "spark.sql.catalog.pedregal.type", "jdbc",
                "spark.sql.catalog.pedregal.uri", "jdbc:postgresql://127.0.0.1:5432/test",
                "spark.sql.catalog.pedregal.warehouse", "s3://tables/wh",
                "spark.sql.catalog.pedregal.jdbc.user", "postgres",
                "spark.sql.catalog.pedregal.jdbc.password", "pg-secret",
                "spark.sql.catalog.pedregal.io-impl", "org.apache.iceberg.aws.s3.S3FileIO",
                "spark.sql.catalog.pedregal.s3.endpoint", "http://127.0.0.1:9000",
                "spark.sql.catalog.pedregal.s3.path-style-access", "true",
                "spark.sql.catalog.pedregal.s3.access-key-id", "from-env",
                "spark.sql.catalog.pedregal.s3.secret-access-key", "env-secret"));
        assertThat(catalog.sparkConf()).containsAllEntriesOf(Map.of(
                "spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000",
                "spark.hadoop.fs.s3a.connection.ssl.enabled", "false",
                "spark.hadoop.fs.s3a.path.style.access", "true",
                "spark.hadoop.fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
                "spark.hadoop.fs.s3a.access.key", "from-env",
                "spark.hadoop.fs.s3a.secret.key", "env-secret"));
        assertThat(catalog.bucket()).contains("tables");
        assertThat(catalog.localWarehouse()).isEmpty();
    }

    @Test
    void noSecretShowsInWhatIsLogged() {
        CatalogConfig catalog = read(Map.of(
                "gateway.catalog.type", "jdbc",
                "gateway.catalog.uri", "jdbc:postgresql://127.0.0.1:5432/test?user=a&password=url-secret",
                "gateway.catalog.warehouse", "s3://tables/wh",
                "gateway.catalog.jdbc.password", "pg-secret",
                "gateway.s3.access-key-id", "AKIAEXAMPLE",
                "gateway.s3.secret-access-key", "s3-secret"), Map.of());

        assertThat(catalog.toString() + catalog.describe() + catalog.s3())
                .doesNotContain("url-secret", "pg-secret", "s3-secret", "AKIAEXAMPLE");
        assertThat(catalog.sparkConf().keySet().stream().filter(CatalogConfig::isSecret))
                .containsExactlyInAnyOrder("spark.sql.catalog.pedregal.jdbc.password",
                        "spark.sql.catalog.pedregal.s3.secret-access-key", "spark.hadoop.fs.s3a.secret.key");
    }

    @Test
    void aRestCatalogTakesItsTokenOrCredential() {
        CatalogConfig catalog = read(Map.of(
                "gateway.catalog.type", "REST",
                "gateway.catalog.uri", "http://127.0.0.1:8181",
                "gateway.catalog.rest.credential", "client:secret"), Map.of());

        assertThat(catalog.sparkConf()).containsEntry("spark.sql.catalog.pedregal.type", "rest")
                .containsEntry("spark.sql.catalog.pedregal.uri", "http://127.0.0.1:8181")
                .containsEntry("spark.sql.catalog.pedregal.credential", "client:secret")
                .doesNotContainKey("spark.sql.catalog.pedregal.io-impl");
    }

    @Test
    void badCatalogSettingsNameTheKeyAndWhatIsExpected() {
        assertThatThrownBy(() -> read(Map.of("gateway.catalog.type", "glue"), Map.of()))
                .hasMessage("gateway.catalog.type: \"glue\" is not a catalog type (expected hadoop, jdbc or rest)");
        assertThatThrownBy(() -> read(Map.of("gateway.catalog.type", "jdbc", "gateway.catalog.warehouse", "s3://b/w"), Map.of()))
                .hasMessageStartingWith("gateway.catalog.uri: a jdbc catalog needs its address");
        assertThatThrownBy(() -> read(Map.of("gateway.catalog.type", "jdbc", "gateway.catalog.uri", "jdbc:postgresql://h/db"),
                Map.of()))
                .hasMessageStartingWith("gateway.catalog.warehouse: a jdbc catalog needs the warehouse");
        assertThatThrownBy(() -> read(Map.of("gateway.catalog.type", "rest", "gateway.catalog.uri", "ftp://h"), Map.of()))
                .hasMessageStartingWith("gateway.catalog.uri: \"ftp://h\" is not an HTTP URL");
        assertThatThrownBy(() -> read(Map.of("gateway.catalog.warehouse", "s3:///no-bucket"), Map.of()))
                .hasMessageStartingWith("gateway.catalog.warehouse: \"s3:///no-bucket\" is not a warehouse URI");
        assertThatThrownBy(() -> read(Map.of("gateway.s3.endpoint", "127.0.0.1:9000"), Map.of()))
                .hasMessageStartingWith("gateway.s3.endpoint: \"127.0.0.1:9000\" is not an HTTP URL");
        assertThatThrownBy(() -> read(Map.of("gateway.s3.access-key-id", "AKIA"), Map.of()))
                .hasMessageStartingWith("gateway.s3.access-key-id and gateway.s3.secret-access-key: set both");
    }
}
