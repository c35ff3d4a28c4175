package com.doordash.pedregal.runner.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PolicyViolationException;
import com.doordash.pedregal.model.error.Violation;
import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.model.config.ConfigProperties;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The submit policy on its own: every rule refuses with its field and names itself. */
final class SubmitPolicyTest {
    private static final String DEFAULT = "default";
    private final SubmitPolicy policy = new SubmitPolicy(PolicyConfig.from(new ConfigProperties(Map.of(
            "policy.custom-code.teams", "ml",
            "policy.custom-code.jar-locations", "/opt/jars, https://repo.example.com/jars",
            "policy.write-namespaces.ads", "ads, ads_*",
            "policy.write-namespaces.ml", "ml"))));

    @Test
    void theSeedJobOfItsOwnTeamPasses() {
        SubmitPolicy defaults = new SubmitPolicy(PolicyConfig.from(new ConfigProperties(Map.of())));

        assertThatCode(() -> defaults.check(job("data-infra", "derived", "{}", "{}"), DEFAULT)).doesNotThrowAnyException();
    }

    @Test
    void settingsThatLoadCodeOrMoveStorageAreRefusedNamingTheRule() {
        assertThat(refusals(job("ads", "ads", """
                {"spark.jars": "/tmp/evil.jar", "spark.plugins": "evil.Plugin", "spark.files": "/data/tokens.json",
                 "spark.sql.catalog.prod": "org.apache.iceberg.spark.SparkCatalog",
                 "spark.sql.catalog.prod.warehouse": "/data/warehouse", "spark.hadoop.fs.file.impl": "x.Y",
                 "spark.driver.extraJavaOptions": "-javaagent:/tmp/a.jar", "spark.executor.extraJavaOptions": "-Dx=1",
                 "spark.sql.shuffle.partitions": "8", "spark.executor.memory": "2g"}""", "{}"), DEFAULT))
                .containsExactly(
                        new Violation("config.spark_config[\"spark.jars\"]", "spark.jars loads code of the job's own,"
                                + " which only teams in policy.custom-code.teams may do (team ads is not one)"),
                        new Violation("config.spark_config[\"spark.plugins\"]", "spark.plugins loads code of the job's own,"
                                + " which only teams in policy.custom-code.teams may do (team ads is not one)"),
                        new Violation("config.spark_config[\"spark.files\"]", NOT_ALLOWED),
                        new Violation("config.spark_config[\"spark.sql.catalog.prod\"]", "is refused: spark.sql.catalog.prod"
                                + " points a session at other catalogs or storage, or loads classes"),
                        new Violation("config.spark_config[\"spark.sql.catalog.prod.warehouse\"]", "is refused:"
                                + " spark.sql.catalog.prod.warehouse points a session at other catalogs or storage, or loads classes"),
                        new Violation("config.spark_config[\"spark.hadoop.fs.file.impl\"]", NOT_ALLOWED),
                        new Violation("config.spark_config[\"spark.driver.extraJavaOptions\"]", NOT_ALLOWED),
                        new Violation("config.spark_config[\"spark.executor.extraJavaOptions\"]", NOT_ALLOWED));
    }

    @Test
    void environmentVariablesThatChangeHowTheDriverStartsAreRefused() {
        assertThat(refusals(job("ads", "ads", "{}", """
                {"LD_PRELOAD": "/tmp/x.so", "JAVA_TOOL_OPTIONS": "-javaagent:/tmp/a.jar", "PATH": "/tmp",
                 "CLASSPATH": "/tmp", "SPARK_HOME": "/tmp", "BASH_ENV": "/tmp/x", "REGION": "us-west-2"}"""), DEFAULT))
                .extracting(Violation::toString).containsExactly(
                        "config.env_vars[\"LD_PRELOAD\"]: is refused by policy.env-vars.denied (LD_*): it changes how the"
                                + " driver's JVM, shell or Spark start",
                        "config.env_vars[\"JAVA_TOOL_OPTIONS\"]: is refused by policy.env-vars.denied (JAVA_TOOL_OPTIONS):"
                                + " it changes how the driver's JVM, shell or Spark start",
                        "config.env_vars[\"PATH\"]: is refused by policy.env-vars.denied (PATH): it changes how the"
                                + " driver's JVM, shell or Spark start",
                        "config.env_vars[\"CLASSPATH\"]: is refused by policy.env-vars.denied (CLASSPATH): it changes how"
                                + " the driver's JVM, shell or Spark start",
                        "config.env_vars[\"SPARK_HOME\"]: is refused by policy.env-vars.denied (SPARK_*): it changes how"
                                + " the driver's JVM, shell or Spark start",
                        "config.env_vars[\"BASH_ENV\"]: is refused by policy.env-vars.denied (BASH_ENV): it changes how"
                                + " the driver's JVM, shell or Spark start");
    }

    @Test
    void customCodeIsForTheTeamsTheOperatorAllowsFromConfiguredLocationsAndNeverInAPlayground() {
        assertThat(refusals(jar("ads", "/opt/jars/app.jar"), DEFAULT)).extracting(Violation::toString).containsExactly(
                "config.custom_jar: custom jars run code of the team's own, which only teams in policy.custom-code.teams"
                        + " may do (team ads is not one)");
        assertThatCode(() -> policy.check(jar("ml", "/opt/jars/app.jar"), DEFAULT)).doesNotThrowAnyException();
        assertThatCode(() -> policy.check(jar("ml", "https://repo.example.com/jars/app-1.0.jar"), DEFAULT))
                .doesNotThrowAnyException();
        assertThat(refusals(jar("ml", "/opt/jars/../../data/evil.jar"), DEFAULT)).extracting(Violation::toString)
                .containsExactly("config.custom_jar.jar_path: \"/opt/jars/../../data/evil.jar\" is not under"
                        + " policy.custom-code.jar-locations (/opt/jars, https://repo.example.com/jars): a jar path is"
                        + " absolute and has no '.' or '..'");
        assertThat(refusals(jar("ml", "/tmp/evil.jar"), DEFAULT)).extracting(Violation::field)
                .containsExactly("config.custom_jar.jar_path");
        assertThat(refusals(jar("ml", "https://repo.example.com/jars-evil/x.jar"), DEFAULT)).extracting(Violation::field)
                .containsExactly("config.custom_jar.jar_path");
        assertThat(refusals(jar("ml", "https://repo.example.com/jars/../x.jar"), DEFAULT)).extracting(Violation::field)
                .containsExactly("config.custom_jar.jar_path");
        assertThat(refusals(jar("ml", "/opt/jars/app.jar"), "pg_ml_ann_demo")).extracting(Violation::toString)
                .containsExactly("config.custom_jar: custom jars run code of the team's own, which is never allowed in a"
                        + " playground");
        assertThat(refusals(job("ml", "ml", "{\"spark.jars\": \"/opt/jars/a.jar,/tmp/b.jar\"}", "{}"), DEFAULT))
                .extracting(Violation::field).containsExactly("config.spark_config[\"spark.jars\"]");
    }

    @Test
    void aTeamWritesOnlyItsOwnNamespacesAndNeverAPlaygroundOfAnother() {
        assertThatCode(() -> policy.check(job("ads", "ads_daily", "{}", "{}"), DEFAULT)).doesNotThrowAnyException();

        assertThatThrownBy(() -> policy.check(job("ads", "pg_data_infra_user_demo", "{}", "{}"), DEFAULT))
                .isInstanceOfSatisfying(PolicyViolationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                    assertThat(e.getMessage()).isEqualTo("config.core_etl.job_spec.sinks[0]: pedregal.pg_data_infra_user_demo"
                            + " is a playground's namespace: only a run in that playground writes it (team ads may not"
                            + " write pedregal.pg_data_infra_user_demo.t)");
                });
        assertThat(refusals(job("ads", "derived", "{}", "{}"), DEFAULT)).extracting(Violation::toString).containsExactly(
                "config.core_etl.job_spec.sinks[0]: team ads may not write pedregal.derived.t: its jobs write only to"
                        + " namespaces ads, ads_* of pedregal (policy.write-namespaces.ads)");
        assertThat(refusals(job("growth", "growth", "{}", "{}"), DEFAULT)).extracting(Violation::toString).containsExactly(
                "config.core_etl.job_spec.sinks[0]: team growth may not write pedregal.growth.t: no namespace is granted"
                        + " to it (policy.write-namespaces.growth)");
        assertThat(refusals(job("ads", "ads", "{}", "{}"), "pg_ads_ann_demo")).extracting(Violation::toString)
                .containsExactly("config.core_etl.job_spec.sinks[0]: a run in playground pedregal.pg_ads_ann_demo writes"
                        + " only there; pedregal.ads.t is outside it");
    }

    @Test
    void theDriverIsToldWhatItMayWriteAndWhetherItsSqlMayReachTheJvm() {
        assertThat(policy.driverConf("ads", DEFAULT)).isEqualTo(Map.of(
                SubmitPolicy.WRITE_NAMESPACES_CONF, "pedregal.ads,pedregal.ads_*", SubmitPolicy.CUSTOM_CODE_CONF, "false"));
        assertThat(policy.driverConf("ml", DEFAULT)).isEqualTo(Map.of(
                SubmitPolicy.WRITE_NAMESPACES_CONF, "pedregal.ml", SubmitPolicy.CUSTOM_CODE_CONF, "true"));
        assertThat(policy.driverConf("ml", "pg_ml_ann_demo")).isEqualTo(Map.of(
                SubmitPolicy.WRITE_NAMESPACES_CONF, "pedregal.pg_ml_ann_demo", SubmitPolicy.CUSTOM_CODE_CONF, "false"));
        assertThat(policy.driverConf("growth", DEFAULT)).containsEntry(SubmitPolicy.WRITE_NAMESPACES_CONF, "");
    }

    private static final String NOT_ALLOWED = "is not one of the settings a team may set (policy.spark-config.allowed:"
            + " session spark.sql.* settings, executor and dynamic allocation sizes, and Spark tuning; see the README)";

    private List<Violation> refusals(SubmitJobRequest request, String namespace) {
        try {
            policy.check(request, namespace);
        }
        catch (PolicyViolationException e) {
            return e.violations();
        }
        return List.of();
    }

    private static SubmitJobRequest job(String team, String sinkNamespace, String sparkConfig, String envVars) {
        return Json.read("""
                {"name": "j", "team": "%s", "user": "u", "config": {"spark_version": "3.5",
                 "core_etl": {"version": "2.7.0", "job_spec": {
                   "sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
                   "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "%s", "table": "t"}]}},
                 "spark_config": %s, "env_vars": %s}}
                """.formatted(team, sinkNamespace, sparkConfig, envVars), SubmitJobRequest.class);
    }

    private static SubmitJobRequest jar(String team, String jarPath) {
        return Json.read("""
                {"name": "j", "team": "%s", "user": "u", "config": {"spark_version": "3.5",
                 "custom_jar": {"jar_path": "%s", "main_class": "a.Main"}}}
                """.formatted(team, jarPath), SubmitJobRequest.class);
    }
}
