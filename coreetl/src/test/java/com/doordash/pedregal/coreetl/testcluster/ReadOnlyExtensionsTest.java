package com.doordash.pedregal.coreetl.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.coreetl.TestSpark;
import java.nio.file.Files;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class ReadOnlyExtensionsTest {
    private static final String TABLE = "pedregal.ro.target";

    @BeforeAll
    static void createTable() {
        SparkSession base = TestSpark.session();
        base.sql("CREATE NAMESPACE IF NOT EXISTS pedregal.ro");
        base.sql("DROP TABLE IF EXISTS " + TABLE);
        base.sql("CREATE TABLE " + TABLE + " (id BIGINT, v STRING) USING iceberg");
        base.sql("INSERT INTO " + TABLE + " VALUES (1, 'a'), (2, 'b')");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO pedregal.ro.target VALUES (3, 'c')",
            "INSERT OVERWRITE pedregal.ro.target SELECT 9, 'z'",
            "CREATE TABLE pedregal.ro.ctas USING iceberg AS SELECT * FROM pedregal.ro.target",
            "CREATE OR REPLACE TABLE pedregal.ro.target USING iceberg AS SELECT 1 AS id",
            "CREATE TABLE pedregal.ro.created (id INT) USING iceberg",
            "DROP TABLE pedregal.ro.target",
            "ALTER TABLE pedregal.ro.target ADD COLUMN extra STRING",
            "ALTER TABLE pedregal.ro.target SET TBLPROPERTIES ('k' = 'v')",
            "TRUNCATE TABLE pedregal.ro.target",
            "CREATE NAMESPACE pedregal.other",
            "DROP NAMESPACE pedregal.ro CASCADE",
            "DELETE FROM pedregal.ro.target WHERE id = 1",
            "UPDATE pedregal.ro.target SET v = 'x' WHERE id = 1",
            "MERGE INTO pedregal.ro.target t USING (SELECT 1 AS id, 'm' AS v) s ON t.id = s.id "
                    + "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *",
            "CALL pedregal.system.expire_snapshots(table => 'ro.target')",
            "CREATE VIEW spark_catalog.default.persistent_view AS SELECT 1 AS one",
            "CREATE FUNCTION spark_catalog.default.my_upper AS 'org.apache.spark.sql.catalyst.expressions.Upper'",
            "SET spark.sql.catalog.pedregal.warehouse=/tmp/elsewhere",
            "SET spark.sql.catalog.evil=org.apache.iceberg.spark.SparkCatalog",
            "CACHE TABLE pedregal.ro.target",
    })
    void refusesWritesAndDdlAndLeavesTheTableUnchanged(String statement) {
        SparkSession guarded = GuardedSpark.session();
        assertThatThrownBy(() -> guarded.sql(statement).collectAsList())
                .isInstanceOf(ReadOnlyViolationException.class)
                .hasMessageStartingWith("the test cluster is read-only: ")
                .hasMessageEndingWith(" is not allowed (writes happen in 'run', in a playground)");
        assertTableUnchanged();
    }

    @Test
    void namesTheStatementAndTableInTheMessage() {
        assertThatThrownBy(() -> GuardedSpark.session().sql("INSERT INTO pedregal.ro.target VALUES (3, 'c')"))
                .hasMessage("the test cluster is read-only: INSERT INTO pedregal.ro.target is not allowed "
                        + "(writes happen in 'run', in a playground)");
    }

    @Test
    void refusesDataFrameWriters() throws Exception {
        SparkSession guarded = GuardedSpark.session();
        var data = guarded.table(TABLE);
        assertThatThrownBy(() -> data.writeTo(TABLE).append()).isInstanceOf(ReadOnlyViolationException.class);
        assertThatThrownBy(() -> data.writeTo(TABLE).overwritePartitions()).isInstanceOf(ReadOnlyViolationException.class);
        assertThatThrownBy(() -> data.write().mode("append").saveAsTable(TABLE)).isInstanceOf(ReadOnlyViolationException.class);
        String path = Files.createTempDirectory("ro-write").resolve("out").toString();
        assertThatThrownBy(() -> data.write().parquet(path)).isInstanceOf(ReadOnlyViolationException.class);
        assertThat(new java.io.File(path)).doesNotExist();
        assertTableUnchanged();
    }

    @Test
    void allowsReadsTemporaryViewsAndSessionCommands() {
        SparkSession guarded = GuardedSpark.session().newSession();
        assertThat(guarded.sql("SELECT count(*) FROM " + TABLE).collectAsList().get(0).getLong(0)).isEqualTo(2);
        guarded.sql("CREATE OR REPLACE TEMPORARY VIEW ro_temp AS SELECT id FROM " + TABLE);
        guarded.table(TABLE).createOrReplaceTempView("ro_df_view");
        assertThat(guarded.sql("SELECT * FROM ro_temp JOIN ro_df_view USING (id)").count()).isEqualTo(2);
        guarded.sql("DROP VIEW ro_temp");
        guarded.sql("SET spark.sql.shuffle.partitions=2");
        guarded.sql("SET spark.sql.catalog.pedregal.warehouse").collectAsList();
        guarded.sql("SHOW TABLES IN pedregal.ro").collectAsList();
        guarded.sql("DESCRIBE TABLE " + TABLE).collectAsList();
        guarded.sql("EXPLAIN SELECT * FROM " + TABLE).collectAsList();
        guarded.sql("USE pedregal.ro");
        assertThat(guarded.sql("SELECT count(*) FROM target").collectAsList().get(0).getLong(0)).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT value FROM text.`%s`",
            "SELECT * FROM json.`%s`",
            "SELECT * FROM `org.apache.spark.sql.execution.datasources.text.TextFileFormat`.`%s`",
            "SELECT (SELECT max(value) FROM text.`%s`) AS leaked",
            "SELECT * FROM pedregal.ro.target WHERE v IN (SELECT value FROM text.`%s`)",
            "CREATE TEMPORARY VIEW leak USING text OPTIONS (path '%s')",
            "CREATE TEMPORARY VIEW leak2 AS SELECT value FROM text.`%s`",
            "SELECT * FROM pedregal.`..`.`%s`",
    })
    void refusesReadingFilesThroughPathsAndDataSources(String template) throws Exception {
        java.nio.file.Path secret = Files.createTempFile("ro-secret", ".txt");
        Files.writeString(secret, "the secret\n");
        SparkSession guarded = GuardedSpark.session().newSession();

        assertThatThrownBy(() -> guarded.sql(template.formatted(secret)).collectAsList())
                .isInstanceOf(ReadOnlyViolationException.class)
                .hasMessageStartingWith("the test cluster reads tables only: refused ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("the secret"));
    }

    @Test
    void refusesDataFrameReadsOfPaths() throws Exception {
        java.nio.file.Path secret = Files.createTempFile("ro-secret", ".txt");
        Files.writeString(secret, "the secret\n");
        SparkSession guarded = GuardedSpark.session().newSession();

        assertThatThrownBy(() -> guarded.read().text(secret.toString()).collectAsList())
                .isInstanceOf(ReadOnlyViolationException.class)
                .hasMessage("the test cluster reads tables only: refused files file:" + secret
                        + " (a path-based or external data source)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT reflect('java.lang.System', 'exit', 0)",
            "SELECT java_method('java.lang.System', 'getProperty', 'user.home')",
            "SELECT id FROM pedregal.ro.target WHERE reflect('java.lang.Thread', 'sleep', 1L) IS NULL",
            "SELECT TRANSFORM(id) USING 'cat /etc/passwd' AS (line) FROM pedregal.ro.target",
            "CREATE TEMPORARY FUNCTION my_upper AS 'org.apache.spark.sql.catalyst.expressions.Upper'",
    })
    void refusesSqlThatReachesTheJvmOrRunsAProgram(String statement) {
        assertThatThrownBy(() -> GuardedSpark.session().newSession().sql(statement).collectAsList())
                .isInstanceOf(ReadOnlyViolationException.class)
                .hasMessageStartingWith("the test cluster reads tables only: refused ");
    }

    @Test
    void namesTheRefusedCallInTheMessage() {
        assertThatThrownBy(() -> GuardedSpark.session().sql("SELECT reflect('java.lang.System', 'exit', 0)"))
                .hasMessage("the test cluster reads tables only: refused reflect(...) (it calls a JVM method)");
        assertThatThrownBy(() -> GuardedSpark.session().sql("SELECT TRANSFORM(id) USING 'cat /etc/passwd' AS (line)"
                        + " FROM pedregal.ro.target"))
                .hasMessage("the test cluster reads tables only: refused TRANSFORM ... USING 'cat /etc/passwd' (it runs a program)");
    }

    @Test
    void refusesGlobalTemporaryViewsWhichEveryUserShares() throws Exception {
        SparkSession guarded = GuardedSpark.session().newSession();

        assertThatThrownBy(() -> guarded.table(TABLE).createOrReplaceGlobalTempView("shared_view"))
                .isInstanceOf(ReadOnlyViolationException.class)
                .hasMessageStartingWith("the test cluster keeps views to each session: refused the global temporary view");
        assertThatThrownBy(() -> guarded.sql("CREATE GLOBAL TEMPORARY VIEW shared2 AS SELECT 1 AS one"))
                .isInstanceOf(ReadOnlyViolationException.class);
        // listTables also names the session's local temporary views (other tests' ones): only global ones count here.
        assertThat(TestSpark.session().catalog().listTables("global_temp").collectAsList())
                .filteredOn(table -> "global_temp".equals(table.database())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SET fs.file.impl=org.example.Evil", "SET spark.hadoop.fs.defaultFS=file:///",
            "SET spark.sql.extensions=org.example.Evil", "SET spark.sql.cache.serializer=org.example.Evil",
            "SET spark.sql.defaultCatalog=spark_catalog"})
    void refusesSessionSettingsThatReachStorageOrLoadClasses(String statement) {
        assertThatThrownBy(() -> GuardedSpark.session().newSession().sql(statement))
                .isInstanceOf(ReadOnlyViolationException.class)
                .hasMessageStartingWith("the test cluster is read-only: SET ");
    }

    private static void assertTableUnchanged() {
        SparkSession base = TestSpark.session();
        assertThat(base.catalog().tableExists(TABLE)).isTrue();
        List<Row> rows = base.sql("SELECT id, v FROM " + TABLE + " ORDER BY id").collectAsList();
        assertThat(rows.toString()).isEqualTo("[[1,a], [2,b]]");
        assertThat(base.table(TABLE).columns()).containsExactly("id", "v");
        assertThat(base.catalog().tableExists("pedregal.ro.ctas")).isFalse();
        assertThat(base.catalog().tableExists("pedregal.ro.created")).isFalse();
        assertThat(base.sql("SHOW NAMESPACES IN pedregal LIKE 'other'").count()).isZero();
    }
}
