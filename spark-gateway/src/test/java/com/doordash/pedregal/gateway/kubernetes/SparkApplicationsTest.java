package com.doordash.pedregal.gateway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.SparkRuntime;
import com.doordash.pedregal.gateway.testing.Specs;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.error.PlatformException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every SparkApplication the backend makes, checked strictly against the operator's published CRD (v2.5.2). */
final class SparkApplicationsTest {
    private static final CrdSchema CRD = CrdSchema.load("/kubernetes/sparkoperator.k8s.io_sparkapplications.yaml", "v1beta2");
    private static final KubernetesConfig CONFIG = KubernetesConfig.from(new ConfigProperties(Map.of()));
    private static final SparkRuntime RUNTIME = new SparkRuntime("3.5", "3.5.6", Path.of("/opt/spark"));

    /** The README's example job as the runner hands it over: driver 2 cores 4g, 5 executors of 4 cores and 8g. */
    static LaunchRequest seedJob() {
        return new LaunchRequest("exec-0f1e2d3c4b5a69788796a5b4c3d2e1f0", "daily-orders", "data-infra", "default", "BATCH",
                "3.5", Application.coreEtl(Specs.eventCounts("orders")),
                Map.of("spark.executor.instances", "5", "spark.executor.cores", "4", "spark.executor.memory", "8g",
                        "spark.sql.shuffle.partitions", "200"), Map.of(), 2, 4L << 30);
    }

    @Test
    void theSeedJobsApplicationPassesTheOperatorsSchema() {
        Map<String, Object> application = SparkApplications.of(seedJob(), RUNTIME, "spark-jobs", CONFIG,
                Map.of("spark.sql.catalog.pedregal", "org.apache.iceberg.spark.SparkCatalog"));

        assertThat(CRD.validate(application)).isEmpty();
        assertThat(application).containsEntry("apiVersion", "sparkoperator.k8s.io/v1beta2")
                .containsEntry("kind", "SparkApplication");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) application.get("spec");
        assertThat(spec).containsEntry("image", "dcp-spark:3.5").containsEntry("sparkVersion", "3.5.6")
                .containsEntry("mainClass", "com.doordash.pedregal.coreetl.CoreEtlMain")
                .containsEntry("mainApplicationFile", "local:///opt/spark/app/coreetl.jar")
                .containsEntry("restartPolicy", Map.of("type", "Never"))
                .containsEntry("timeToLiveSeconds", 3600L);
        assertThat(spec.get("driver")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("cores", 2).containsEntry("memory", "4096m").containsEntry("serviceAccount", "spark");
        assertThat(spec.get("executor")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("instances", 5).containsEntry("cores", 4).containsEntry("memory", "8g");
        @SuppressWarnings("unchecked")
        Map<String, String> sparkConf = (Map<String, String>) spec.get("sparkConf");
        assertThat(sparkConf).containsEntry("spark.sql.shuffle.partitions", "200")
                .containsEntry("spark.pedregal.team", "data-infra")
                .doesNotContainKeys("spark.executor.instances", "spark.driver.memory");
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) application.get("metadata");
        assertThat(metadata).containsEntry("name", "dcp-exec-0f1e2d3c4b5a69788796a5b4c3d2e1f0")
                .containsEntry("namespace", "spark-jobs");
        assertThat(metadata.get("labels")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry(SparkApplications.LABEL_EXECUTION, "exec-0f1e2d3c4b5a69788796a5b4c3d2e1f0")
                .containsEntry(SparkApplications.LABEL_TEAM, "data-infra");
    }

    @Test
    void dynamicAllocationEnvironmentVariablesAndACustomJarPassTheSchema() {
        LaunchRequest request = new LaunchRequest("exec-1", "custom", "team-a", "pg_alice_1", "BATCH", "3.5",
                new Application("com.example.Main", "s3://jars/app.jar", List.of("--day", "2026-11-30")),
                Map.of("spark.dynamicAllocation.enabled", "true", "spark.dynamicAllocation.minExecutors", "1",
                        "spark.dynamicAllocation.maxExecutors", "20", "spark.driver.memoryOverhead", "512m"),
                Map.of("REGION", "us-west-2"), 1, 1L << 30);

        Map<String, Object> application = SparkApplications.of(request, RUNTIME, "team-a-jobs",
                KubernetesConfig.from(new ConfigProperties(Map.of("gateway.kubernetes.credentials-secret", ""))), Map.of());

        assertThat(CRD.validate(application)).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) application.get("spec");
        assertThat(spec).containsEntry("mainApplicationFile", "s3://jars/app.jar")
                .containsEntry("arguments", List.of("--day", "2026-11-30"))
                .containsEntry("dynamicAllocation", Map.of("enabled", true, "minExecutors", 1, "maxExecutors", 20));
        assertThat(spec.get("driver")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("env", List.of(Map.of("name", "REGION", "value", "us-west-2")))
                .containsEntry("memoryOverhead", "512m");
    }

    @Test
    void podsTakeThePlatformsCredentialsFromTheNamespacesSecretAndAJobCannotShadowThem() {
        LaunchRequest request = new LaunchRequest("exec-2", "creds", "team-a", "default", "BATCH", "4.0",
                Application.coreEtl(Specs.eventCounts("orders")), Map.of(),
                Map.of("REGION", "us-west-2", "AWS_ACCESS_KEY_ID", "the-job-s-own"), 1, 1L << 30);

        Map<String, Object> application = SparkApplications.of(request, RUNTIME, "spark-jobs", CONFIG, Map.of());

        assertThat(CRD.validate(application)).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) application.get("spec");
        for (String pod : List.of("driver", "executor")) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> env = (List<Map<String, Object>>) ((Map<String, Object>) spec.get(pod)).get("env");
            assertThat(env).contains(Map.of("name", "REGION", "value", "us-west-2"))
                    .contains(Map.of("name", "AWS_SECRET_ACCESS_KEY", "valueFrom", Map.of("secretKeyRef",
                            Map.of("name", "dcp-job-credentials", "key", "AWS_SECRET_ACCESS_KEY", "optional", true))))
                    .contains(Map.of("name", "SPARK_CONF_spark_sql_catalog_pedregal_jdbc_password", "valueFrom",
                            Map.of("secretKeyRef", Map.of("name", "dcp-job-credentials", "key", "CATALOG_JDBC_PASSWORD",
                                    "optional", true))));
            assertThat(env).filteredOn(variable -> variable.get("name").equals("AWS_ACCESS_KEY_ID"))
                    .singleElement().satisfies(variable -> assertThat(variable).doesNotContainKey("value"));
        }
    }

    @Test
    void theValidatorRejectsUnknownAndMistypedFields() {
        Map<String, Object> application = SparkApplications.of(seedJob(), RUNTIME, "spark-jobs", CONFIG, Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = new LinkedHashMap<>((Map<String, Object>) application.get("spec"));
        @SuppressWarnings("unchecked")
        Map<String, Object> driver = new LinkedHashMap<>((Map<String, Object>) spec.get("driver"));
        driver.put("cores", "2");
        driver.put("coreLimit ", "2");
        spec.put("driver", driver);
        spec.put("restartPolicy", Map.of("type", "Sometimes"));
        spec.put("timeToLive", 60);
        spec.remove("mainApplicationFile");
        Map<String, Object> broken = new LinkedHashMap<>(application);
        broken.put("spec", spec);

        assertThat(CRD.validate(broken)).containsExactlyInAnyOrder(
                "spec.driver.cores: \"2\" is not an integer",
                "spec.driver.coreLimit : not a field of the schema",
                "spec.restartPolicy.type: Sometimes is not one of [Never, Always, OnFailure]",
                "spec.timeToLive: not a field of the schema",
                "spec.mainApplicationFile: required");
    }

    @Test
    void aJarOfThisMachinesFilesIsRefusedNamingTheField() {
        LaunchRequest request = new LaunchRequest("exec-2", "custom", "team-a", "default", "BATCH", "3.5",
                new Application("com.example.Main", "/etc/passwd", List.of()), Map.of(), Map.of(), 1, 1L << 30);

        assertThatThrownBy(() -> SparkApplications.of(request, RUNTIME, "spark-jobs", CONFIG, Map.of()))
                .isInstanceOf(PlatformException.class)
                .hasMessageStartingWith("the kubernetes backend cannot run the jar /etc/passwd: a pod of the cluster cannot"
                        + " see this machine's files");
    }

    @Test
    void namesAndLabelsStayValidForAnyExecutionIdOrTeam() {
        String longId = "exec-" + "a".repeat(80);

        assertThat(SparkApplications.name(longId)).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        assertThat(SparkApplications.labelValue("team with spaces/and;slashes")).hasSizeLessThanOrEqualTo(63)
                .matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
        assertThat(SparkApplications.labelValue("data-infra")).isEqualTo("data-infra");
    }
}
